"""Calibrates the drum model's velocity level on GMD's training split: plays 8 bars per groove performance under its
own conditions (style, tempo, median energy) with the shipped sampling, and reports how much softer the drawn hits
are than the performances' (drawing bar after bar from the model's own previous bar drifts softer than the teacher-forced
velocities it was fitted to). The difference is `drums.VELOCITY_SHIFT`, which the export writes as the model JSON's
`sampling.velocity_shift`, added to every drawn velocity.

    python -m merlai_training.drum_velocity [--model ../models/merlai-drums.onnx]
"""
import argparse
import json
import os

import numpy as np

from . import drum_data as G
from .common import DEFAULT_DATA, MODELS_DIR

BARS = 8
PERFORMANCES = 80   # spread over the training split's groove performances in 4/4 (a minute on one core)


def velocity_shift(session, performances, hit_temperature, seed=0):
    """Mean velocity (0..1) of the performances' hits minus that of the model's self-played hits."""
    rng = np.random.default_rng(seed)
    drawn, played = [], []
    for p in performances:
        played.append(p['vel'][p['hits'] > 0])
        energy = np.median([G.energy_of(h, 16) for h in p['hits'] if h.sum() > 0])
        hits, vel = np.zeros((1, 16, 9), np.float32), np.zeros((1, 16, 9), np.float32)
        for _ in range(BARS):
            out = session.run(None, {'prev_hits': hits, 'prev_velocity': vel, 'style': np.array([p['style']]),
                                     'meter': np.array([0]), 'tempo': np.array([G.tempo_feature(p['bpm'])], np.float32),
                                     'fill': np.zeros(1, np.float32), 'energy': np.array([energy], np.float32)})[0][0]
            h = rng.random((16, 9)) < 1 / (1 + np.exp(-out[..., 0] / hit_temperature))
            v = np.clip(out[..., 1] + np.exp(out[..., 2]) * rng.standard_normal((16, 9)), 1 / 127, 1) * h
            drawn.append(v[h])
            hits, vel = h[None].astype(np.float32), v[None].astype(np.float32)
    return float(np.concatenate(played).mean() - np.concatenate(drawn).mean())


def main(argv=None):
    import onnxruntime as ort
    ap = argparse.ArgumentParser(prog='merlai_training.drum_velocity', description=__doc__.split('\n\n')[0])
    ap.add_argument('--model', default=os.path.join(MODELS_DIR, 'merlai-drums.onnx'))
    ap.add_argument('--data', default=DEFAULT_DATA)
    args = ap.parse_args(argv)
    with open(args.model[:-len('.onnx')] + '.json') as f:
        meta = json.load(f)
    grooves = [p for p in G.prepare_groove(args.data) if p['split'] == 'train' and not p['fill'] and p['meter'] == 0]
    picked = grooves[::max(1, len(grooves) // PERFORMANCES)]
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    shift = velocity_shift(ort.InferenceSession(args.model, options), picked, meta['sampling']['hit_temperature'])
    print('velocity_shift %.3f (%.1f MIDI) over %d performances (drums.VELOCITY_SHIFT is what the export writes)'
          % (shift, shift * 127, len(picked)))


if __name__ == '__main__':
    main()
