"""Golden fixtures shared with Java (testdata/golden/*.json): the same inputs must give the same outputs in
training (here) and serving (dev.merlai.arranger.model.GoldenFixturesTest), so that the two cannot drift apart.

The inputs are made here from fixed seeds; MERLAI_GOLDEN_WRITE=1 rewrites the files from this code, on purpose
only (a change to the decoding that both sides make together)."""
import json
import os

import numpy as np
import pytest

from merlai_training import data as song_data
from merlai_training.chord_decoding import decode, phrase_echo
from merlai_training.live_chords import repeated_melody

GOLDEN = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'testdata', 'golden')
MODELS = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'models')


def _log_softmax(x):
    x = x - x.max(-1, keepdims=True)
    return x - np.log(np.exp(x).sum(-1, keepdims=True))


def chord_decoding():
    """Beats of random chord log-probabilities, sharp and flat, decoded with the shipped model's chord groups."""
    with open(os.path.join(MODELS, 'merlai-chords.json')) as f:
        groups = json.load(f)['chord_groups']
    rng = np.random.default_rng(17)
    cases = []
    for scale in (0.5, 2.0, 6.0):
        beat_logp = _log_softmax(rng.normal(size=(8, len(groups))) * scale)
        cases.append({'beat_log_probs': beat_logp.tolist(), 'chords': decode(beat_logp, groups).tolist()})
    return {'groups': groups, 'cases': cases}


def phrase_echoes():
    """Ten bars of two beats over a six-chord vocabulary, echoed four bars away; the melody sings in some beats."""
    rng = np.random.default_rng(18)
    echo = {'bars': 4, 'sung_weight': 0.25, 'silent_weight': 1.0}
    cases = []
    for sung in (0.0, 0.3, 0.8):
        beats = 20
        beat_logp = _log_softmax(rng.normal(size=(beats, 6)) * 2)
        bar, beat_in_bar = np.arange(beats) // 2, np.arange(beats) % 2
        sounding = rng.random(beats) < sung
        echoed = phrase_echo(beat_logp, bar, beat_in_bar, sounding, **echo)
        cases.append({'beat_log_probs': beat_logp.tolist(), 'bar': bar.tolist(), 'beat_in_bar': beat_in_bar.tolist(),
                      'sounding': sounding.tolist(), 'echoed': echoed.tolist()})
    return {'phrase_echo': echo, 'cases': cases}


def melody_features():
    """Melodies on the 16th grid (notes as [first step, end step, pitch], overlapping and running past the end) over
    bars of different lengths, and what the models read of them."""
    rng = np.random.default_rng(19)
    cases = []
    for bar_lengths in ((16, 16, 16), (12, 12, 16, 6), (16, 24, 16)):
        bar_starts = np.concatenate([[0], np.cumsum(bar_lengths)]).tolist()
        steps = bar_starts[-1]
        melody = []
        for _ in range(10):
            first = int(rng.integers(0, steps))
            melody.append([first, int(first + rng.integers(1, 9)), int(rng.integers(55, 85))])
        song = song_data._finish('golden', 'pop', steps, [tuple(n) for n in melody], [], bar_starts,
                         np.zeros(steps, np.int16), np.full(steps, 12, np.int8))
        cases.append({'steps': steps, 'bar_starts': bar_starts, 'melody': melody,
                      'melody_pitch': song['mel_pitch'].tolist(), 'melody_onset': song['mel_onset'].tolist(),
                      'metric_pos': song['metric_pos'].tolist(), 'bar_steps': song['bar_steps'].tolist()})
    return {'cases': cases}


def repeated_melodies():
    """Melodies of 4/4 bars built from a few random bar patterns (notes as [first step, end step, pitch], one at a
    time), cut at steps on and off the beat, and the live engine's guess of the steps after the cut (training's
    live_chords.repeated_melody, Java's RepeatedMelody)."""
    rng = np.random.default_rng(20)
    cases = []
    for bars, patterns in ((10, 2), (12, 3), (9, 4), (3, 1)):
        shapes = []
        for _ in range(patterns):
            starts = sorted(set(int(x) for x in rng.integers(0, 16, 5)))
            shapes.append([(a, b, int(rng.integers(55, 80))) for a, b in zip(starts, starts[1:] + [16])])
        melody = [[16 * bar + a, 16 * bar + b - int(rng.integers(0, 2)), p]
                  for bar in range(bars) for a, b, p in shapes[int(rng.integers(patterns))]]
        melody = [n for n in melody if n[1] > n[0]]
        steps = 16 * bars
        pitch, onset = np.zeros(steps, np.int64), np.zeros(steps, np.float32)
        for a, b, p in melody:
            pitch[a:b], onset[a] = p, 1
        for now in (16 * (bars - 3) + 4, 16 * (bars - 2) + 7, 16 * (bars - 1)):
            if now <= 0:
                continue
            until = min(steps, now + 24)
            heard = [n for n in melody if n[0] < now]
            guess = repeated_melody(pitch[:now], onset[:now], now, until, 16)
            cases.append({'melody': [[a, min(b, now), p] for a, b, p in heard], 'now': now, 'until': until,
                          'guess_pitch': None if guess is None else guess[0].tolist(),
                          'guess_onset': None if guess is None else guess[1].astype(int).tolist()})
    return {'bar_steps': 16, 'cases': cases}


FIXTURES = {'chord-decoding.json': chord_decoding, 'phrase-echo.json': phrase_echoes, 'melody-features.json': melody_features,
            'repeated-melody.json': repeated_melodies}


@pytest.mark.parametrize('name', sorted(FIXTURES))
def test_training_gives_the_golden_outputs(name):
    made = FIXTURES[name]()
    path = os.path.join(GOLDEN, name)
    if os.environ.get('MERLAI_GOLDEN_WRITE') == '1':
        with open(path, 'w') as f:
            json.dump(made, f, separators=(',', ':'))
            f.write('\n')
    with open(path) as f:
        golden = json.load(f)
    assert golden == made
