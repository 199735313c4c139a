"""The live chord model's training windows, and the shipped chord model read back from its ONNX file."""
import json
import os

import numpy as np
import onnxruntime as ort
import torch

from merlai_training import live_chords
from merlai_training.export import example_inputs
from merlai_training.models import CHORD_INPUTS

MODELS = os.path.join(os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__)))), 'models')


def song(bars=12, phrase_bars=3):
    """A 4/4 song of `bars` bars, a melody note on every beat (a phrase of `phrase_bars` bars sung over and over) and a
    chord label per bar."""
    steps = 16 * bars
    pitch = np.zeros(steps, np.int64)
    pitch[::4] = 60 + np.arange(steps // 4) % (4 * phrase_bars)
    onset = (pitch > 0).astype(np.float32)
    return {'id': 'test', 'T': steps, 'style': 0, 'mel_pitch': pitch, 'mel_onset': onset,
            'metric_pos': np.arange(steps) % 16, 'bar_steps': np.full(steps, 16), 'bar_index': np.arange(steps) // 16,
            'chord': 1 + np.repeat(np.arange(bars) % 5, 16), 'chord_bass': np.full(steps, 12), 'notes': np.zeros((0, 4), np.int64)}


def test_the_shipped_chord_model_read_back_from_onnx_answers_as_the_onnx_file_does():
    path = os.path.join(MODELS, 'merlai-chords.onnx')
    model = live_chords.from_onnx(path)
    model.eval()
    inputs = example_inputs('chords', B=2, T=96, seed=3)
    with torch.no_grad():
        torch_logits = model(*inputs).numpy()
    onnx_logits = ort.InferenceSession(path, providers=['CPUExecutionProvider']).run(None, {n: v.numpy() for n, v in zip(CHORD_INPUTS, inputs)})[0]
    assert np.abs(torch_logits - onnx_logits).max() < 1e-4


def test_the_guess_continues_the_earlier_passage_most_like_the_bars_just_heard():
    sung = song(bars=12, phrase_bars=3)
    now, until = 16 * 7 + 5, 16 * 10
    pitch, onset = live_chords.repeated_melody(sung['mel_pitch'][:now], sung['mel_onset'][:now], now, until, 16)
    # the phrase repeats every 3 bars: 3 bars back agrees on every step, and what followed it is what is sung now
    assert list(pitch) == list(sung['mel_pitch'][now:until]) and list(onset) == list(sung['mel_onset'][now:until])
    assert live_chords.repeated_melody(sung['mel_pitch'][:20], sung['mel_onset'][:20], 20, 40, 16) is None, 'nothing heard to repeat yet'


def test_a_live_window_hears_the_melody_before_its_cut_the_guess_after_it_and_is_scored_just_after_it():
    rng = np.random.default_rng(0)
    sung = song(bars=12, phrase_bars=1)   # every bar the same: the guess is what is sung
    guesses = 0
    for _ in range(50):
        item = live_chords.live_window(sung, rng, augment=False)
        target = np.flatnonzero(item['target'])
        cut = target[0]
        assert list(target) == list(range(cut, min(cut + live_chords.LIVE_TARGET_STEPS, len(item['chord']))))
        length = len(item['chord'])
        assert list(item['melody_pitch'][:cut]) == list(sung['mel_pitch'][:cut]), 'heard as sung (every bar is alike)'
        guessed = item['melody_pitch'][cut:]
        assert list(guessed) == list(sung['mel_pitch'][cut:length]) or not guessed.any(), 'the guess, or rests early in the song'
        guesses += bool(guessed.any())
        assert item['metric_pos'][0] == 0, 'a window starts on a bar line'
        bars_before = cut // 16
        assert bars_before <= live_chords.LIVE_CONTEXT_BARS
        assert len(item['chord']) <= 16 * (bars_before + 1 + live_chords.LIVE_AHEAD_BARS)
    assert guesses > 25


def test_without_a_passage_to_repeat_the_melody_after_the_cut_is_rests():
    rng = np.random.default_rng(2)
    for _ in range(20):
        item = live_chords.live_window(song(bars=3), rng, augment=False)
        cut = np.flatnonzero(item['target'])[0]
        assert (item['melody_pitch'][cut:] == 0).all() and (item['melody_onset'][cut:] == 0).all()


def test_with_a_lookahead_the_target_is_a_beat_and_the_cut_that_many_steps_before_it():
    rng = np.random.default_rng(1)
    for _ in range(50):
        item = live_chords.live_window(song(bars=3), rng, augment=False, lookahead_steps=1)
        target = np.flatnonzero(item['target'])
        assert len(target) == 4 and item['metric_pos'][target[0]] % 4 == 0
        cut = target[0] - 1
        assert (item['melody_pitch'][cut:] == 0).all() and item['melody_pitch'][:cut][::4].all()


def test_the_shipped_live_model_keeps_the_chord_models_contract_and_records_what_it_was_measured_on():
    with open(os.path.join(MODELS, 'merlai-chords.json')) as f:
        offline = json.load(f)
    with open(os.path.join(MODELS, live_chords.LIVE_NAME + '.json')) as f:
        live = json.load(f)
    assert live['name'] == live_chords.LIVE_NAME and live['file'] == live_chords.LIVE_NAME + '.onnx'
    for same in ('inputs', 'outputs', 'chord_vocabulary', 'chord_groups', 'transpositions', 'phrase_echo', 'steps_per_quarter'):
        assert live[same] == offline[same], same
    assert live['trained']['from'] == '%s@%s' % (offline['name'], offline['version'])
    assert set(live['validation']['live_chord_accuracy'][live_chords.LIVE_NAME + '@' + live['version']]) == {'tune', 'held'}
