"""The downbeat model: where the beats and bar lines fall, from the melody alone.

Performed MIDI (POP909 among it) starts its first beat at an arbitrary tick and its time signatures are not
reliable, so the service lays its own bar lines. This model reads the melody on a 16th-note grid (the same
`melody_pitch` / `melody_onset` inputs as the chord model, with no metric position) and gives, per step, the
log-probabilities of three classes: downbeat, another quarter-note beat, between beats. Java scores every
candidate (metre, first downbeat) by the mean log-probability of the classes that candidate implies and keeps
the best (`dev.merlai.arranger.grid.MeterInference`).

    python -m merlai_training.downbeat --minutes 8 [--out ../models]     # train + export + validate
"""
import argparse
import json
import os

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from . import data as song_data
from .common import CACHE_DIR, DEFAULT_DATA, MODELS_DIR
from .config import STEPS_PER_QUARTER
from .fit import fit
from .onnx_export import export_onnx
from .prepare import prepare

CLASSES = ['downbeat', 'beat', 'offbeat']
INPUTS = ['melody_pitch', 'melody_onset']
METRES = (16, 12)   # bar lengths in 16ths the validation searches (4/4, 3/4)


def labels(metric_pos):
    """Class per step from the step's position in its bar (16ths since the downbeat)."""
    return np.where(metric_pos == 0, 0, np.where(metric_pos % 4 == 0, 1, 2)).astype(np.int64)


class DownbeatNet(nn.Module):
    """Dilated residual convolutions over the melody: each step sees about four 4/4 bars either side."""

    def __init__(self, width=64, dilations=(1, 2, 4, 8, 16, 32, 64)):
        super().__init__()
        self.inp = nn.Conv1d(4, width, 5, padding=2)
        self.blocks = nn.ModuleList(nn.Conv1d(width, width, 3, padding=d, dilation=d) for d in dilations)
        self.norms = nn.ModuleList(nn.GroupNorm(1, width) for _ in dilations)
        self.out = nn.Conv1d(width, len(CLASSES), 1)

    def forward(self, melody_pitch, melody_onset):
        pitch = melody_pitch.float()
        sounding = (melody_pitch > 0).float()
        # pitch relative to the melody's mean, so that a transposed song looks the same
        mean = (pitch * sounding).sum(1, keepdim=True) / sounding.sum(1, keepdim=True).clamp(min=1)
        rel = (pitch - mean) * sounding / 12
        step = torch.cat([rel[:, :1], rel[:, 1:] - rel[:, :-1]], 1) * melody_onset
        x = torch.stack([melody_onset, sounding, rel, step], 1)
        h = F.relu(self.inp(x))
        for conv, norm in zip(self.blocks, self.norms):
            h = h + F.relu(norm(conv(h)))
        return F.log_softmax(self.out(h), 1).transpose(1, 2)   # [B, T, 3]


def windows(songs, W, B, rng):
    xs, os_, ys = [], [], []
    for _ in range(B):
        s = songs[rng.integers(len(songs))]
        T = s['T']
        a = int(rng.integers(0, max(1, T - W + 1)))
        b = min(T, a + W)
        pad = W - (b - a)
        xs.append(np.pad(s['mel_pitch'][a:b].astype(np.int64), (0, pad)))
        os_.append(np.pad(s['mel_onset'][a:b].astype(np.float32), (0, pad)))
        ys.append(np.pad(labels(s['metric_pos'][a:b]), (0, pad), constant_values=-100))
    return torch.from_numpy(np.stack(xs)), torch.from_numpy(np.stack(os_)), torch.from_numpy(np.stack(ys))


def best_candidate(logp, S_options=METRES):
    """(bar steps, offset of the first downbeat) maximising the mean log-probability, as Java decodes."""
    T = logp.shape[0]
    t = np.arange(T)
    best, best_score = None, -np.inf
    for S in S_options:
        for o in range(S):
            pos = (t - o) % S
            cls = labels(pos)
            score = logp[t, cls].mean()
            if score > best_score:
                best, best_score = (S, o), score
    return best


def validate(model, songs):
    """Share of validation songs (per set) whose bar length and downbeat phase the model gets right. Each song is
    read from a step that is not a bar line (a few steps in, different per song), as the service reads a file
    from its first tick: an input cut on a bar line gives the phase away at its edge (read in 64-step windows cut
    on bar lines, the 1.0.0 model looked right on 86% of the POP909 songs; cut 5 steps later, 71%)."""
    right = {0: [0, 0], 1: [0, 0]}
    model.eval()
    with torch.no_grad():
        for i, s in enumerate(songs):
            bars = np.flatnonzero(s['metric_pos'] == 0)
            if len(bars) < 2 or len(set(s['bar_steps'])) != 1 or s['bar_steps'][0] not in METRES:
                continue
            skip = 1 + i % 11
            logp = model(torch.from_numpy(s['mel_pitch'][None, skip:].astype(np.int64)),
                         torch.from_numpy(s['mel_onset'][None, skip:].astype(np.float32)))[0].numpy()
            S, o = best_candidate(logp)
            ok = S == s['bar_steps'][0] and o % S == (bars[0] - skip) % S
            right[s['style']][0] += ok
            right[s['style']][1] += 1
    model.train()
    return {name: round(r[0] / max(1, r[1]), 4) for name, r in (('pop', right[0]), ('lied', right[1]))} | {
        'songs': {'pop': right[0][1], 'lied': right[1][1]}}


def train(minutes, seed=0, limit=None, data=None):
    torch.manual_seed(seed)
    rng = np.random.default_rng(seed)
    songs = prepare(data or DEFAULT_DATA, limit=limit)
    tr = [s for s in songs if not song_data.is_validation(s['id']) and s['T'] >= 64]
    va = [s for s in songs if song_data.is_validation(s['id'])]
    model = DownbeatNet()

    def batch_loss():
        mp, mo, y = windows(tr, 512, 16, rng)
        loss = F.nll_loss(model(mp, mo).reshape(-1, 3), y.reshape(-1), ignore_index=-100)
        return loss, {'loss': loss.item()}

    run = fit(model, minutes, 2e-3, batch_loss)
    result = validate(model, va)
    print('EVAL ' + json.dumps(result), flush=True)
    return model, {**run, 'validation': result,
                   'parameters': sum(p.numel() for p in model.parameters()),
                   'train_songs': len(tr), 'validation_songs': len(va)}


def export(model, info, out_dir, name='merlai-downbeat'):
    example = (torch.randint(0, 100, (1, 64)), (torch.rand(1, 64) < 0.3).float())
    export_onnx(model, example, out_dir, name, '1.0.0', INPUTS, ['class_logp'],
                {'melody_pitch': {0: 'B', 1: 'T'}, 'melody_onset': {0: 'B', 1: 'T'}, 'class_logp': {0: 'B', 1: 'T'}}, {
        'inputs': {'melody_pitch': {'dtype': 'int64', 'shape': ['B', 'T']},
                   'melody_onset': {'dtype': 'float32', 'shape': ['B', 'T']}},
        'outputs': {'class_logp': {'dtype': 'float32', 'shape': ['B', 'T', len(CLASSES)]}},
        'classes': CLASSES, 'steps_per_quarter': STEPS_PER_QUARTER,
        'decoding': 'per candidate (bar length, first downbeat): mean over steps of the log-probability of the '
                    'class the candidate implies (downbeat at bar starts, beat every 4 steps, offbeat else)',
        'trained': {k: v for k, v in info.items() if k != 'validation'},
        'validation': info['validation']})


def main(argv=None):
    ap = argparse.ArgumentParser(prog='merlai_training.downbeat', description=__doc__.split('\n\n')[0])
    ap.add_argument('--minutes', type=float, default=8.0)
    ap.add_argument('--out', default=MODELS_DIR)
    ap.add_argument('--limit', type=int, default=None, help='only the first N songs of each set (tests)')
    ap.add_argument('--seed', type=int, default=0)
    ap.add_argument('--data', default=DEFAULT_DATA)
    args = ap.parse_args(argv)
    torch.set_num_threads(1)
    model, info = train(args.minutes, args.seed, args.limit, args.data)
    torch.save({'state': model.state_dict(), 'info': info}, os.path.join(CACHE_DIR, 'downbeat.pt'))
    export(model, info | {'size': 'full'}, args.out)


if __name__ == '__main__':
    main()
