import json
import os

import numpy as np
import pytest
import torch

from merlai_training import dynamics as DY
from merlai_training import dynamics_data as DD
from merlai_training.common import DEFAULT_DATA

SONG = os.path.join(DEFAULT_DATA, 'pop909', '001')


def test_each_performed_accompaniment_note_is_a_row_of_its_context_with_its_velocity_and_timing():
    x, velocity, offset, bar = DD.song_rows(SONG)
    assert x.shape == (len(velocity), len(DD.FEATURES)) and len(velocity) > 1000
    assert np.all(x[:, :16].sum(1) == 1), 'one place in the bar'
    assert np.all(x[:, 26:].sum(1) == 1), 'one bar of the phrase'
    for role in (0, 1):   # velocities are taken from each track's own mean
        assert abs(velocity[x[:, 25] == role].mean()) < 1e-3
    assert np.all(np.abs(offset) <= 0.5)
    assert bar.min() >= 0 and bar.max() > 50, 'each note knows its bar'
    # the player leans on the downbeat: notes there are louder than those between the beats
    downbeat = velocity[x[:, 0] == 1].mean()
    between = velocity[(x[:, 2] == 1) | (x[:, 6] == 1) | (x[:, 10] == 1) | (x[:, 14] == 1)].mean()
    assert downbeat > between


def test_quick_training_exports_an_onnx_model_that_matches_torch(tmp_path):
    torch.set_num_threads(1)
    model, info = DY.train(0.05, limit=20, batch_size=64)
    DY.export(model, info, str(tmp_path))
    meta = json.load(open(tmp_path / 'merlai-dynamics.json'))
    assert meta['inputs']['note_features']['features'] == DD.FEATURES
    assert meta['outputs']['dynamics_params']['params'] == DY.PARAMS
    assert 0 < meta['within_bar_share'] <= 1 and meta['bar_spread_log_sd'] >= 0
    ort = pytest.importorskip('onnxruntime')
    session = ort.InferenceSession(str(tmp_path / 'merlai-dynamics.onnx'))
    x = DD.song_rows(SONG)[0]
    out = session.run(None, {'note_features': x[:50]})[0]
    with torch.no_grad():
        expected = model.eval()(torch.from_numpy(x[:50])).numpy()
    assert out.shape == (50, 4)
    assert np.abs(out - expected).max() < 1e-3


def test_bar_noise_finds_how_much_the_spread_varies_from_bar_to_bar():
    # 400 bars of 8 notes; the model's std is 10 everywhere; each bar's own notes spread 10 * exp(0.5 z - 0.25) and
    # the bar as a whole moves by another N(0, 5)
    rng = np.random.default_rng(0)
    bars, notes = 400, 8
    scale = np.exp(0.5 * rng.standard_normal(bars) - 0.25)
    velocity = (10 * scale[:, None] * rng.standard_normal((bars, notes)) + 5 * rng.standard_normal((bars, 1))).ravel()
    x = np.zeros((bars * notes, len(DD.FEATURES)), np.float32)
    part = {'x': x, 'velocity': velocity, 'song': np.zeros(bars * notes, np.int32), 'bar': np.repeat(np.arange(bars), notes)}
    noise = DY.bar_noise(lambda rows: np.tile([0, np.log(10), 0, 0], (len(rows), 1)), part)
    assert abs(noise['bar_spread_log_sd'] - 0.5) < 0.1
    within = 100 * np.mean(scale ** 2)
    assert abs(noise['within_bar_share'] - within / (within + 25)) < 0.05
