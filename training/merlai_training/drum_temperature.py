"""Chooses the drum model's hit temperature on GMD validation: self-play 16 bars per groove performance under its own
conditions (style, tempo, median energy), per-bar feature overlap with the performances (drum_stats features).

    python -m merlai_training.drum_temperature      # needs .cache/drums.pt
"""
import json
import os
import sys

import numpy as np
import torch

from . import drum_data
from . import drum_stats
from . import drums
from .common import CACHE_DIR, REPO_ROOT


def main():
    sys.path.insert(0, os.path.join(os.path.dirname(REPO_ROOT), 'shared', 'eval'))
    from metrics import overlap
    torch.set_num_threads(1)
    ck = torch.load(os.path.join(CACHE_DIR, 'drums.pt'))
    model = drums.DrumNet()
    model.load_state_dict(ck['state'])
    model.eval()
    perfs = [p for p in drum_data.prepare_groove() if p['split'] == 'validation' and not p['fill'] and p['meter'] == 0 and len(p['hits']) >= 8]
    ref = {k: [] for k in drum_stats.FEATURES}
    for p in perfs:
        for b in range(len(p['hits'])):
            if p['hits'][b].sum() > 0:
                f = drum_stats.bar_features(p['hits'][b], p['vel'][b], p['off'][b])
                for k in drum_stats.FEATURES: ref[k].append(f[k])
    rng = np.random.default_rng(0)
    for T in (1.0, 0.85, 0.7, 0.55):
        ours = {k: [] for k in drum_stats.FEATURES}
        for p in perfs:
            en = np.median([drum_data.energy_of(h, 16) for h in p['hits'] if h.sum() > 0])
            ph, pv = np.zeros((16, 9), np.float32), np.zeros((16, 9), np.float32)
            for b in range(min(16, len(p['hits']))):
                with torch.no_grad():
                    o = model(torch.from_numpy(ph)[None], torch.from_numpy(pv)[None], torch.tensor([p['style']]), torch.tensor([0]),
                              torch.tensor([drum_data.tempo_feature(p['bpm'])]), torch.tensor([0.0]), torch.tensor([float(en)]))[0].numpy()
                prob = 1 / (1 + np.exp(-o[..., 0] / T))
                h = (rng.random((16, 9)) < prob).astype(np.float32)
                v = np.clip(o[..., 1] + np.exp(o[..., 2]) * rng.standard_normal((16, 9)), 1 / 127, 1) * h
                off = np.clip(o[..., 3] + np.exp(o[..., 4]) * rng.standard_normal((16, 9)), -.45, .45) * h
                f = drum_stats.bar_features(h, v, off)
                for k in drum_stats.FEATURES: ours[k].append(f[k])
                ph, pv = h, v.astype(np.float32)
        oa = {k: round(overlap(ours[k], ref[k]), 3) for k in drum_stats.FEATURES}
        print(T, 'meanOA %.3f' % np.mean(list(oa.values())), json.dumps(oa), 'onsets %.1f vs %.1f' % (np.mean(ours['onsets']), np.mean(ref['onsets'])), flush=True)


if __name__ == '__main__':
    main()
