"""Whether what a performance plays explains how loud it is: fits, on GMD's train pop/rock grooves in 4/4, a
performance's mean velocity on its tempo, hits per bar, closed hi-hat share, open hi-hat and ride share and snares per
bar (least squares), then compares what that fit predicts for each half of GMD validation (drum_data.validation_halves)
with what its drummers play. A cause the drum model could learn would predict the held drummers' loudness.

    python -m merlai_training.drum_loudness
"""
import json

import numpy as np

from . import drum_data

CAUSES = ['bpm', 'hits_per_bar', 'closed_hihat_share', 'open_hihat_and_ride_share', 'snares_per_bar']
MIN_HITS = 20   # performances with fewer hits say little about their level


def causes(p):
    """A performance's mean velocity (MIDI), the CAUSES and its hit count."""
    hits, vel = p['hits'], p['vel']
    n = hits.sum()
    return (127 * vel[hits > 0].mean(), p['bpm'], n / len(hits), hits[..., 2].sum() / n,
            (hits[..., 3].sum() + hits[..., 8].sum()) / n, hits[..., 1].sum() / len(hits), n)


def main():
    styles = [drum_data.STYLES.index(s) for s in ('pop', 'rock')]
    grooves = [p for p in drum_data.prepare_groove() if p['meter'] == 0 and p['style'] in styles and not p['fill']
               and p['hits'].sum() >= MIN_HITS]
    train = np.array([causes(p) for p in grooves if p['split'] == 'train'])
    X = np.c_[np.ones(len(train)), train[:, 1:6]]
    beta = np.linalg.lstsq(X, train[:, 0], rcond=None)[0]
    residual = train[:, 0] - X @ beta
    result = {'train_performances': len(train),
              'train_r2': round(float(1 - residual.var() / train[:, 0].var()), 2),
              'correlation': {c: round(float(np.corrcoef(train[:, 0], train[:, i + 1])[0, 1]), 2) for i, c in enumerate(CAUSES)}}
    halves = drum_data.validation_halves()
    for half in drum_data.HALVES:
        rows = np.array([causes(p) for p in grooves if p['split'] == 'validation' and halves[p['id']] == half])
        predicted = np.c_[np.ones(len(rows)), rows[:, 1:6]] @ beta
        result[half] = {'performances': len(rows), 'played': round(float(np.average(rows[:, 0], weights=rows[:, 6])), 1),
                        'predicted': round(float(np.average(predicted, weights=rows[:, 6])), 1)}
    print(json.dumps(result, indent=1))


if __name__ == '__main__':
    main()
