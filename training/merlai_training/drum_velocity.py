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
MAX_OFFSET = 0.45   # Drummer.MAX_OFFSET: a hit's offset stays within this share of a 16th
PERFORMANCES = 80   # spread over the training split's groove performances in 4/4 (a minute on one core)


def play(predict, performance, bars, hit_temperature, rng):
    """BARS bars the model plays under a GMD performance's conditions (its style and tempo, its median bar energy, 4/4,
    no fill), each from the bar it drew before, drawn as the product draws them (dev.merlai.arranger.drums.Drummer,
    offsets within MAX_OFFSET): [(hits, vel, off)] of [16, 9] arrays. predict(prev_hits, prev_vel, style, tempo,
    energy) gives the model's [16, 9, 5] parameters (onnx_predictor, or a torch model's)."""
    energy = float(np.median([G.energy_of(h, 16) for h in performance['hits'] if h.sum() > 0]))
    hits, vel = np.zeros((16, 9), np.float32), np.zeros((16, 9), np.float32)
    played = []
    for _ in range(bars):
        out = predict(hits, vel, performance['style'], G.tempo_feature(performance['bpm']), energy)
        hits = (rng.random((16, 9)) < 1 / (1 + np.exp(-out[..., 0] / hit_temperature))).astype(np.float32)
        vel = (np.clip(out[..., 1] + np.exp(out[..., 2]) * rng.standard_normal((16, 9)), 1 / 127, 1) * hits).astype(np.float32)
        off = np.clip(out[..., 3] + np.exp(out[..., 4]) * rng.standard_normal((16, 9)), -MAX_OFFSET, MAX_OFFSET) * hits
        played.append((hits, vel, off))
    return played


def onnx_predictor(session):
    """play's predict through an ONNX Runtime session of the drum model."""
    def predict(hits, vel, style, tempo, energy):
        return session.run(None, {'prev_hits': hits[None], 'prev_velocity': vel[None], 'style': np.array([style]),
                                  'meter': np.array([0]), 'tempo': np.array([tempo], np.float32),
                                  'fill': np.zeros(1, np.float32), 'energy': np.array([energy], np.float32)})[0][0]
    return predict


def self_play(predict, performances, hit_temperature, seed=0):
    """Per performance: its hits' velocities and offsets, and those of 8 bars the model plays under its conditions."""
    rng = np.random.default_rng(seed)
    plays = []
    for p in performances:
        drawn = play(predict, p, BARS, hit_temperature, rng)
        played_spread = [bar_vel[bar_hits > 0].std() for bar_hits, bar_vel in zip(p['hits'], p['vel']) if (bar_hits > 0).sum() >= 2]
        plays.append({'played_vel': p['vel'][p['hits'] > 0], 'played_off': p['off'][p['hits'] > 0], 'played_spread': played_spread,
                      'drawn_vel': np.concatenate([v[h > 0] for h, v, _ in drawn]),
                      'drawn_off': np.concatenate([off[h > 0] for h, _, off in drawn]),
                      'drawn_spread': [v[h > 0].std() for h, v, _ in drawn if h.sum() >= 2]})
    return plays


def velocity_shift(plays):
    """Mean velocity (0..1) of the performances' hits minus that of the model's self-played hits."""
    return float(np.concatenate([p['played_vel'] for p in plays]).mean() - np.concatenate([p['drawn_vel'] for p in plays]).mean())


def drummer_spread(plays):
    """What the model's self-play lacks of how GMD's performances differ from each other (each a drummer on a
    piece): the sd of a performance's mean velocity (0..1), of the log of its mean absolute offset and of the log of
    its bars' mean velocity spread, each less (in quadrature) what the self-play's performances already differ by."""
    def missing(played, drawn):
        return float(np.sqrt(max(0.0, np.var(played) - np.var(drawn))))
    return {'drummer_level_sd': missing([p['played_vel'].mean() for p in plays], [p['drawn_vel'].mean() for p in plays]),
            'drummer_timing_log_sd': missing([np.log(np.abs(p['played_off']).mean()) for p in plays],
                                             [np.log(np.abs(p['drawn_off']).mean()) for p in plays]),
            'drummer_contrast_log_sd': missing(log_means([p['played_spread'] for p in plays]), log_means([p['drawn_spread'] for p in plays]))}


def log_means(groups):
    """The log of each group's mean, of the groups with a positive one (a few GMD performances play one velocity)."""
    return [np.log(np.mean(g)) for g in groups if g and np.mean(g) > 0]


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
    plays = self_play(onnx_predictor(ort.InferenceSession(args.model, options)), picked, meta['sampling']['hit_temperature'])
    shift = velocity_shift(plays)
    print('velocity_shift %.3f (%.1f MIDI) over %d performances (drums.VELOCITY_SHIFT is what the export writes)'
          % (shift, shift * 127, len(picked)))
    print('drummer spread %s (drums.DRUMMER_LEVEL_SD, the train split\'s looseness: DRUMMER_TIMING_LOG_SD is chosen on '
          'the tune half of GMD validation, DRUMMER_CONTRAST_LOG_SD)' % json.dumps(
        {k: round(v, 3) for k, v in drummer_spread(plays).items()}))


if __name__ == '__main__':
    main()
