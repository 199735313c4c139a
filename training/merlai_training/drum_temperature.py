"""Chooses the drum model's hit temperature on the tune half of GMD validation (drum_data.validation_halves): self-play
16 bars per groove performance under its own conditions (style, tempo, median energy; drum_velocity.play), per-bar
feature overlap with the performances (drum_stats features).

    python -m merlai_training.drum_temperature      # needs .cache/drums.pt
"""
import json
import os
import sys

import numpy as np
import torch

from . import drum_data
from . import drum_stats
from . import drum_velocity
from . import drums
from .common import CACHE_DIR, REPO_ROOT

BARS = 16


def main():
    sys.path.insert(0, os.path.join(os.path.dirname(REPO_ROOT), 'shared', 'eval'))
    from metrics import overlap
    torch.set_num_threads(1)
    ck = torch.load(os.path.join(CACHE_DIR, 'drums.pt'))
    model = drums.DrumNet()
    model.load_state_dict(ck['state'])
    model.eval()

    def predict(hits, vel, style, tempo, energy):
        with torch.no_grad():
            return model(torch.from_numpy(hits)[None], torch.from_numpy(vel)[None], torch.tensor([style]), torch.tensor([0]),
                         torch.tensor([tempo]), torch.tensor([0.0]), torch.tensor([energy]))[0].numpy()

    halves = drum_data.validation_halves()
    perfs = [p for p in drum_data.prepare_groove() if p['split'] == 'validation' and halves[p['id']] == 'tune'
             and not p['fill'] and p['meter'] == 0 and len(p['hits']) >= 8]
    ref = drum_stats.feature_lists([drum_stats.bar_features(*b) for p in perfs for b in drum_stats.performance_bars(p)])
    rng = np.random.default_rng(0)
    for T in (1.0, 0.85, 0.7, 0.55):
        ours = drum_stats.feature_lists([drum_stats.bar_features(*b) for p in perfs
                                         for b in drum_velocity.play(predict, p, min(BARS, len(p['hits'])), T, rng)])
        oa = {k: round(overlap(ours[k], ref[k]), 3) for k in drum_stats.FEATURES}
        print(T, 'meanOA %.3f' % np.mean(list(oa.values())), json.dumps(oa), 'onsets %.1f vs %.1f' % (np.mean(ours['onsets']), np.mean(ref['onsets'])), flush=True)


if __name__ == '__main__':
    main()
