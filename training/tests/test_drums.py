import json
import os

import mido
import numpy as np
import pytest
import torch

from merlai_training import drum_data
from merlai_training import drums
from merlai_training.common import DEFAULT_DATA


def write_midi(path, hits, tpb=480):
    """hits: (tick, note, velocity) on channel 10."""
    midi = mido.MidiFile(ticks_per_beat=tpb)
    track = mido.MidiTrack()
    midi.tracks.append(track)
    now = 0
    for tick, note, velocity in sorted(hits):
        track.append(mido.Message('note_on', channel=9, note=note, velocity=velocity, time=tick - now))
        track.append(mido.Message('note_off', channel=9, note=note, velocity=0, time=0))
        now = tick
    midi.save(path)


def test_hits_are_folded_into_nine_instruments_snapped_to_16ths_with_their_offset(tmp_path):
    path = str(tmp_path / 'groove.mid')
    # a kick on 1, a pedal hi-hat 10 ticks late on the second 16th, a rim shot early on beat 2 of bar 2
    write_midi(path, [(0, 36, 100), (120 + 10, 44, 50), (1920 + 480 - 30, 37, 127)])
    hits, vel, off = drum_data.read_performance(path, 16)
    assert hits.shape == (2, 16, 9)
    assert hits.sum() == 3
    assert hits[0, 0, 0] == 1 and vel[0, 0, 0] == pytest.approx(100 / 127)
    assert hits[0, 1, 2] == 1 and off[0, 1, 2] == pytest.approx(10 / 120)
    assert hits[1, 4, 1] == 1 and off[1, 4, 1] == pytest.approx(-30 / 120)


def test_a_three_four_bar_is_twelve_steps(tmp_path):
    path = str(tmp_path / 'waltz.mid')
    write_midi(path, [(0, 36, 90), (12 * 120, 36, 90)])
    hits, _, _ = drum_data.read_performance(path, 12)
    assert hits.shape[0] == 2 and hits[1, 0, 0] == 1


def test_each_bar_is_learned_from_the_bar_before_it():
    hits = np.zeros((3, 16, 9), np.float32)
    hits[0, 0, 0] = hits[2, 4, 1] = 1    # bar 1 is empty and is skipped as a target
    perf = {'style': 1, 'meter': 0, 'bar_steps': 16, 'bpm': 120.0, 'fill': False, 'hits': hits, 'vel': hits * 0.5, 'off': hits * 0}
    ex = drum_data.bar_examples([perf])
    assert len(ex['hits']) == 2
    assert ex['prev_hits'][0].sum() == 0                 # the first bar has nothing before it
    assert np.array_equal(ex['prev_hits'][1], hits[1])  # bar 3 follows the (empty) bar 2
    assert ex['tempo'][0] == 0.0


def test_styles_pool_the_rare_ones():
    assert drum_data.STYLES[drum_data.style_index('rock/indie')] == 'rock'
    assert drum_data.STYLES[drum_data.style_index('middleeastern/grooves')] == 'other'


@pytest.mark.skipif(not os.path.isdir(os.path.join(DEFAULT_DATA, 'groove')), reason='needs ../shared/data/groove')
def test_quick_training_exports_an_onnx_model_that_matches_torch(tmp_path):
    torch.set_num_threads(1)
    model, info = drums.train(0.05, limit=40, batch_size=16)
    drums.export(model, info, str(tmp_path))
    meta = json.load(open(tmp_path / 'merlai-drums.json'))
    assert [i['note'] for i in meta['instruments']] == [36, 38, 42, 46, 43, 47, 50, 49, 51]
    assert meta['styles'] == drum_data.STYLES and list(meta['inputs']) == drums.INPUTS
    assert set(meta['energy']) == set(drum_data.STYLES)
    import onnx
    graph = onnx.load(str(tmp_path / 'merlai-drums.onnx')).graph
    assert [i.name for i in graph.input] == drums.INPUTS
    ort = pytest.importorskip('onnxruntime')
    session = ort.InferenceSession(str(tmp_path / 'merlai-drums.onnx'))
    inputs = drums.example_inputs(2)
    inputs[0][1, 0, 0] = inputs[0][1, 8, 1] = 1
    out = session.run(None, {n: t.numpy() for n, t in zip(drums.INPUTS, inputs)})[0]
    with torch.no_grad():
        expected = model.eval()(*inputs).numpy()
    assert out.shape == (2, 16, 9, 5)
    assert np.abs(out - expected).max() < 1e-4


def test_drummer_spread_is_how_much_more_the_performances_differ_than_the_self_play():
    from merlai_training import drum_velocity
    rng = np.random.default_rng(0)
    plays = []
    for _ in range(400):
        level = 0.6 + 0.1 * rng.standard_normal()
        looseness, contrast = np.exp(0.3 * rng.standard_normal()), np.exp(0.2 * rng.standard_normal())
        plays.append({'played_vel': level + 0.05 * rng.standard_normal(50), 'drawn_vel': 0.6 + 0.05 * rng.standard_normal(50),
                      'played_off': looseness * 0.1 * rng.standard_normal(50), 'drawn_off': 0.1 * rng.standard_normal(50),
                      'played_spread': list(contrast * 0.2 * np.exp(0.1 * rng.standard_normal(8))),
                      'drawn_spread': list(0.2 * np.exp(0.1 * rng.standard_normal(8)))})
    spread = drum_velocity.drummer_spread(plays)
    assert abs(spread['drummer_level_sd'] - 0.1) < 0.015
    assert abs(spread['drummer_timing_log_sd'] - 0.3) < 0.05
    assert abs(spread['drummer_contrast_log_sd'] - 0.2) < 0.04
    assert abs(drum_velocity.velocity_shift(plays)) < 0.02


def test_self_play_draws_each_bar_from_the_one_before_as_the_product_does():
    from merlai_training import drum_velocity
    heard = []

    def predict(hits, vel, style, tempo, energy):
        heard.append(hits.copy())
        out = np.full((16, 9, 5), -30.0, np.float32)
        out[0, 0] = [30, 0.5, -30, 0.9, -30]   # a sure kick on the downbeat, played far later than a drummer may
        return out

    bars = np.zeros((2, 16, 9), np.float32)
    bars[:, 0, 0] = 1
    performance = {'style': 1, 'bpm': 120.0, 'hits': bars}
    played = drum_velocity.play(predict, performance, 3, 0.7, np.random.default_rng(0))
    assert len(played) == 3 and heard[0].sum() == 0 and heard[1][0, 0] == 1
    for hits, vel, off in played:
        assert hits.sum() == 1 and vel[0, 0] == pytest.approx(0.5)
        assert off[0, 0] == pytest.approx(drum_velocity.MAX_OFFSET)


@pytest.mark.skipif(not os.path.isdir(os.path.join(DEFAULT_DATA, 'groove')), reason='needs ../shared/data/groove')
def test_gmd_validation_is_halved_by_drummer_and_the_test_split_is_never_listed():
    import csv
    halves = drum_data.validation_halves()
    with open(os.path.join(DEFAULT_DATA, 'groove', 'info.csv')) as f:
        rows = list(csv.DictReader(f))
    assert set(halves) == {r['id'] for r in rows if r['split'] == 'validation'}
    drummers = {half: {r['drummer'] for r in rows if halves.get(r['id']) == half} for half in drum_data.HALVES}
    assert drummers['tune'] and drummers['held'] and not drummers['tune'] & drummers['held']


def test_the_shipped_model_samples_with_the_constants_the_training_code_chose():
    from merlai_training.common import MODELS_DIR
    with open(os.path.join(MODELS_DIR, 'merlai-drums.json')) as f:
        sampling = json.load(f)['sampling']
    assert sampling == {'hit_temperature': drums.HIT_TEMPERATURE, 'fill_hit_temperature': drums.FILL_HIT_TEMPERATURE,
                        'velocity_shift': drums.VELOCITY_SHIFT, 'drummer_level_mean': drums.DRUMMER_LEVEL_MEAN,
                        'drummer_level_sd': drums.DRUMMER_LEVEL_SD, 'drummer_timing_log_sd': drums.DRUMMER_TIMING_LOG_SD,
                        'drummer_contrast_log_sd': drums.DRUMMER_CONTRAST_LOG_SD,
                        'drummer_contrast_mean': drums.DRUMMER_CONTRAST_MEAN,
                        'ghost_coupling': drums.GHOST_COUPLING, 'hand_coupling': drums.HAND_COUPLING,
                        'groove_repeat': drums.GROOVE_REPEAT}


def test_a_performances_loudness_is_set_beside_its_tempo_density_and_kit_mix():
    from merlai_training import drum_loudness
    hits, vel = np.zeros((2, 16, 9), np.float32), np.zeros((2, 16, 9), np.float32)
    hits[:, 0, 0] = hits[:, 4, 1] = hits[:, 12, 1] = 1   # kick on 1, snare on 2 and 4
    hits[:, ::2, 2] = 1                                  # closed hi-hat 8ths
    hits[1, 15, 8] = 1                                   # one ride
    vel[hits > 0] = 0.5
    loudness, bpm, per_bar, closed, open_and_ride, snares, n = drum_loudness.causes({'hits': hits, 'vel': vel, 'bpm': 96})
    assert (round(loudness, 1), bpm, per_bar, n) == (63.5, 96, 11.5, 23)
    assert (closed, open_and_ride, snares) == pytest.approx((16 / 23, 1 / 23, 2))
