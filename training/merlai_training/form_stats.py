"""How human arrangers follow a song's form, measured on POP909's training songs (never the validation split).

Writes the small JSON the arranger reads (arranger/src/main/resources/dev/merlai/arranger/form/form-statistics.json):

- ``repeat_jaccard``: for every pair of bars with the same melody (same pitch in every 16th step, same onsets), the
  mean Jaccard similarity of the two bars' accompaniment onsets as (16th step in bar, pitch);
- ``variation``: 1 - ``repeat_jaccard``, the share of a repeated bar's accompaniment that arrangers change: the
  arranger's default ``variation`` (the share of a repeated bar's notes it takes from a fresh draw, not the copy);
- ``density_by_occurrence``: the accompaniment's onsets per beat in the n-th occurrence of a bar's melody (1st, 2nd,
  3rd, 4th and later), relative to the song's mean over its melody bars: later choruses are fuller;
- ``density_rest``: the same ratio for bars without melody between the first and last melody bar (interludes).

The exact-repeat rule is the one of ``dev.merlai.arranger.form.FormAnalysis`` (bar melodies compared step by step).

    /usr/bin/python3 -m merlai_training.form_stats [--data DIR] [--limit N]
"""
import argparse
import json
import os

import numpy as np

from . import data as song_data
from .common import DEFAULT_DATA, REPO_ROOT, split_ids

OUT = os.path.join(REPO_ROOT, 'arranger', 'src', 'main', 'resources', 'dev', 'merlai', 'arranger', 'form', 'form-statistics.json')
OCCURRENCES = 4


def bar_melodies(song):
    """Per bar: (pitch per step, onset per step) as a hashable key, or None where the melody has no onset."""
    keys = []
    for b in range(int(song['bar_index'].max()) + 1):
        steps = song['bar_index'] == b
        onset = song['mel_onset'][steps]
        keys.append(None if not onset.any() else (song['mel_pitch'][steps].tobytes(), onset.tobytes()))
    return keys


def accompaniment_onsets(song, nbars):
    bars = [set() for _ in range(nbars)]
    first = np.zeros(nbars, np.int64)
    for b in range(nbars - 1, -1, -1):
        first[b] = np.argmax(song['bar_index'] == b)
    for s, _, p, _ in song['notes']:
        b = song['bar_index'][s]
        bars[b].add((int(s - first[b]), int(p)))
    return bars


def jaccard(a, b):
    return len(a & b) / len(a | b) if a | b else 1.0


def song_statistics(song):
    melodies = bar_melodies(song)
    nbars = len(melodies)
    onsets = accompaniment_onsets(song, nbars)
    beats = np.bincount(song['bar_index'], minlength=nbars) / 4.0
    density = np.array([len(onsets[b]) / max(beats[b], 0.25) for b in range(nbars)])
    sung = [b for b in range(nbars) if melodies[b] is not None]
    if len(sung) < 4:
        return None
    mean = density[sung].mean()
    if mean <= 0:
        return None
    heard, pairs, by_occurrence = {}, [], [[] for _ in range(OCCURRENCES)]
    for b in sung:
        earlier = heard.setdefault(melodies[b], [])
        pairs += [jaccard(onsets[e], onsets[b]) for e in earlier]
        earlier.append(b)
        by_occurrence[min(len(earlier), OCCURRENCES) - 1].append(density[b] / mean)
    rest = [density[b] / mean for b in range(sung[0], sung[-1] + 1) if melodies[b] is None]
    return pairs, by_occurrence, rest


def main(argv=None):
    ap = argparse.ArgumentParser(prog='merlai_training.form_stats')
    ap.add_argument('--data', default=DEFAULT_DATA)
    ap.add_argument('--limit', type=int, default=None, help='only the first N training songs')
    ap.add_argument('--out', default=OUT)
    args = ap.parse_args(argv)
    root = os.path.join(args.data, 'pop909')
    validation = split_ids('pop909-validation.txt')
    songs = sorted(d for d in os.listdir(root) if d.isdigit() and d not in validation)[:args.limit]
    meter = song_data.read_pop909_index(root)
    pairs, by_occurrence, rest, used = [], [[] for _ in range(OCCURRENCES)], [], 0
    for name in songs:
        try:
            song = song_data.prepare_pop909_song(os.path.join(root, name), meter.get(name))
        except (OSError, ValueError, IndexError):
            continue
        stats = song_statistics(song)
        if stats is None:
            continue
        used += 1
        pairs += stats[0]
        for i in range(OCCURRENCES):
            by_occurrence[i] += stats[1][i]
        rest += stats[2]
    result = {
        'source': 'POP909 training songs (not in training/split/pop909-validation.txt): %d songs, %d bar pairs with the same melody' % (used, len(pairs)),
        'repeat_jaccard': round(float(np.mean(pairs)), 3),
        'variation': round(1 - float(np.mean(pairs)), 3),
        'density_by_occurrence': [round(float(np.mean(o)), 3) for o in by_occurrence],
        'density_rest': round(float(np.mean(rest)), 3),
    }
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, 'w') as f:
        json.dump(result, f, indent=2)
        f.write('\n')
    print(json.dumps(result, indent=2))


if __name__ == '__main__':
    main()
