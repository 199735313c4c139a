"""The dynamics model: a note's velocity and micro-timing from its context, learned from POP909's performed
PIANO and BRIDGE tracks (`dynamics_data`).

Input per note: the FEATURES row (position in the bar, meter, pitch, chord tone, the bar's density, the notes
struck with it, duration, a melody onset there, piano or counter-melody, bar of the phrase). Output: mean and
log-std of its velocity less its track's mean (in MIDI velocity units) and of its offset from the 16th grid (in
16ths). Java (`dev.merlai.arranger.performance`) asks once per part for all its notes and draws each note's
deviation from the Gaussians, sharing the `within_bar_share` split of the velocity noise between a bar-wide and a
per-note draw, so a bar's spread is the data's and not the whole song's, and scaling each bar's per-note draws by its
own log-normal factor (`bar_spread_log_sd`), since a player keeps some bars even and others full of contrast.

    python -m merlai_training.dynamics --minutes 10 [--out ../models]     # train + export
    python -m merlai_training.dynamics --quick --out /tmp/dynamics          # seconds, for tests
"""
import json

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from . import dynamics_data
from . import small_models
from .config import STEPS_PER_QUARTER
from .fit import fit
from .losses import gaussian_nll
from .onnx_export import export_onnx

INPUT = 'note_features'
OUTPUT = 'dynamics_params'
PARAMS = ['velocity_mean', 'velocity_log_std', 'offset_mean', 'offset_log_std']
VELOCITY_SCALE = 16.0


class DynamicsNet(nn.Module):
    """A small MLP from a note's features to its four Gaussian parameters (velocity in MIDI units)."""

    def __init__(self, width=96):
        super().__init__()
        self.inp = nn.Linear(len(dynamics_data.FEATURES), width)
        self.hidden = nn.Linear(width, width)
        self.out = nn.Linear(width, len(PARAMS))

    def forward(self, x):
        h = F.relu(self.inp(x))
        h = h + F.relu(self.hidden(h))
        o = self.out(h)
        # velocity learned in units of VELOCITY_SCALE, answered in MIDI units
        return torch.stack([o[:, 0] * VELOCITY_SCALE, o[:, 1] + np.log(VELOCITY_SCALE), o[:, 2], o[:, 3]], 1)


def losses(model, x, velocity, offset):
    p = model(x)
    return (gaussian_nll(velocity / VELOCITY_SCALE, p[:, 0] / VELOCITY_SCALE, p[:, 1] - np.log(VELOCITY_SCALE)).mean(),
            gaussian_nll(offset, p[:, 2], p[:, 3]).mean())


def tensors(part, idx=None):
    sel = slice(None) if idx is None else idx
    return (torch.from_numpy(part['x'][sel]).float(), torch.from_numpy(part['velocity'][sel]).float(),
            torch.from_numpy(part['offset'][sel]).float())


def evaluate(model, part):
    """Validation NLLs plus the velocity residual's RMSE against the song-mean baseline's."""
    if not len(part['velocity']):
        return {}
    model.eval()
    with torch.no_grad():
        x, v, o = tensors(part)
        vel, off = losses(model, x, v, o)
        p = model(x)
    model.train()
    return {'velocity_nll': round(vel.item(), 4), 'offset_nll': round(off.item(), 4),
            'velocity_rmse': round(float(((p[:, 0] - v) ** 2).mean().sqrt()), 3),
            'velocity_rmse_song_mean': round(float((v ** 2).mean().sqrt()), 3),
            'offset_mae': round(float((p[:, 2] - o).abs().mean()), 4)}


def bar_noise(predict, part):
    """How the velocity residual (data less the model's mean) is spread over bars, as Java draws it:
    'within_bar_share', the share of its variance found within a bar (the rest moves whole bars), and
    'bar_spread_log_sd', how much a bar's own within-bar spread varies from bar to bar (the sd of the log of its
    scale against the model's std, less the sampling noise of a few notes' sd). Bars of 3+ notes of one track;
    unbiased (n - 1) variances, since a bar's spread is measured on a few notes. PREDICT maps feature rows to the
    model's params."""
    params = predict(part['x'])
    residual, std = part['velocity'] - params[:, 0], np.exp(params[:, 1])
    key = (part['song'].astype(np.int64) * 2 + part['x'][:, 25].astype(np.int64)) * 100000 + part['bar']
    order = np.argsort(key, kind='stable')
    bounds = np.flatnonzero(np.r_[True, key[order][1:] != key[order][:-1], True])
    variances, log_scales, sampling = [], [], []
    for a, b in zip(bounds[:-1], bounds[1:]):
        rows = order[a:b]
        if len(rows) < 3:
            continue
        var = residual[rows].var(ddof=1)
        variances.append(var)
        if var > 0:
            log_scales.append(0.5 * np.log(var / np.mean(std[rows] ** 2)))
            sampling.append(1 / (2 * (len(rows) - 1)))   # the variance of log(sd) of n Gaussian draws
    share = float(min(1.0, np.mean(variances) / residual.var()))
    log_sd = float(np.sqrt(max(0.0, np.var(log_scales) - np.mean(sampling))))
    return {'within_bar_share': round(share, 3), 'bar_spread_log_sd': round(log_sd, 3)}


def predictor(model):
    def predict(x):
        model.eval()
        with torch.no_grad():
            return model(torch.from_numpy(x).float()).numpy()
    return predict


def train(minutes, seed=0, data=None, limit=None, batch_size=512):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    parts = dynamics_data.prepare(data, limit=limit)
    train_part, validation_part = parts['train'], parts['validation']
    model = DynamicsNet()

    def batch_loss():
        vel, off = losses(model, *tensors(train_part, rng.integers(0, len(train_part['velocity']), batch_size)))
        return vel + off, {'vel': vel.item(), 'off': off.item()}

    def validate():
        v = evaluate(model, validation_part)
        return v['velocity_nll'] + v['offset_nll'], v

    run = fit(model, minutes, 2e-3, batch_loss, validate if len(validation_part['velocity']) else None)
    held = validation_part if len(validation_part['velocity']) else train_part
    result = evaluate(model, held)
    print('EVAL ' + json.dumps(result), flush=True)
    base = {name: round(float(np.mean(train_part['x'][:, 25] == role)), 3) for name, role in dynamics_data.ROLES.items()}
    return model, {**run, 'validation': result,
                   'parameters': sum(p.numel() for p in model.parameters()), 'train_notes': int(len(train_part['velocity'])),
                   'validation_notes': int(len(validation_part['velocity'])), 'role_share': base,
                   'noise': bar_noise(predictor(model), train_part)}


def export(model, info, out_dir, name='merlai-dynamics'):
    export_onnx(model, (torch.zeros(1, len(dynamics_data.FEATURES)),), out_dir, name, '1.3.0', [INPUT], [OUTPUT],
                {INPUT: {0: 'N'}, OUTPUT: {0: 'N'}}, {
        'inputs': {INPUT: {'dtype': 'float32', 'shape': ['N', len(dynamics_data.FEATURES)], 'features': dynamics_data.FEATURES}},
        'outputs': {OUTPUT: {'dtype': 'float32', 'shape': ['N', len(PARAMS)], 'params': PARAMS,
                             'meaning': 'velocity less the track mean (MIDI units); offset from the 16th grid (16ths)'}},
        'steps_per_quarter': STEPS_PER_QUARTER, 'phrase_bars': dynamics_data.PHRASE_BARS, **info['noise'],
        'trained': {k: v for k, v in info.items() if k not in ('validation', 'noise')},
        'validation': info.get('validation', {})})


def main(argv=None):
    small_models.main('dynamics', __doc__.split('\n\n')[0], train, export, 10.0, 'a few seconds on 20 songs (tests)', dict(limit=20, batch_size=64), argv)


if __name__ == '__main__':
    main()
