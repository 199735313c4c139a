"""The key of a song from its melody alone (issue 19), against POP909's annotated key (`key_audio.txt`).

A key's score is the dot product of its learned profiles with the melody's features rotated to the key's tonic:
the duration-weighted pitch-class histogram, the same over the notes that end a phrase (a rest of at least a
beat after them, or the song's end), and the last note's pitch class. The profiles (one set for major, one for
minor) are fitted by multinomial logistic regression over the 24 keys on the POP909 training songs, never the
validation ones; Java's `KeyFinder` reads them from `music/src/main/resources/dev/merlai/music/theory/key-profiles.txt`.

    python -m merlai_training.evaluation.keys fit                 # fit on the training songs, write the profiles
    python -m merlai_training.evaluation.keys melody SPLIT...     # the profiles on the melodies of split lists
    python -m merlai_training.evaluation.keys product OUT SPLIT   # the key signatures of the product's outputs
"""
import argparse
import os
import sys

import mido
import numpy as np

from ..common import DEFAULT_DATA, REPO_ROOT
from ..data import read_midi_notes

PROFILES_PATH = os.path.join(REPO_ROOT, 'music', 'src', 'main', 'resources', 'dev', 'merlai', 'music', 'theory',
                             'key-profiles.txt')
FEATURES = ('duration', 'phrase_end', 'last')
MODES = ('maj', 'min')
PHRASE_REST_QUARTERS = 1.0
L2 = 1e-4
FIT_STEPS = 10000
FIT_LEARNING_RATE = 2.0
PITCH_CLASSES = {'C': 0, 'C#': 1, 'Db': 1, 'D': 2, 'D#': 3, 'Eb': 3, 'E': 4, 'F': 5, 'F#': 6, 'Gb': 6, 'G': 7,
                 'G#': 8, 'Ab': 8, 'A': 9, 'A#': 10, 'Bb': 10, 'B': 11, 'Cb': 11}


def annotated_key(song_dir):
    """(tonic, 'maj'|'min') of the key that holds longest in `key_audio.txt` (its segments summed)."""
    seconds = {}
    with open(os.path.join(song_dir, 'key_audio.txt')) as f:
        for line in f:
            start, end, key = line.strip().split('\t')
            seconds[key] = seconds.get(key, 0.0) + float(end) - float(start)
    root, mode = max(seconds, key=seconds.get).split(':')
    return PITCH_CLASSES[root], mode


def melody_notes(path, track_name='MELODY'):
    """[(start, end, pitch)] in quarters of the named track, sorted by onset."""
    ticks_per_beat, _, tracks = read_midi_notes(path)
    return sorted((on / ticks_per_beat, off / ticks_per_beat, pitch) for on, off, pitch in tracks.get(track_name, []))


def features(notes):
    """(3, 12) array, rows as FEATURES, indexed by absolute pitch class; each histogram sums to 1 (or is 0)."""
    rows = np.zeros((len(FEATURES), 12))
    for i, (start, end, pitch) in enumerate(notes):
        rows[0, pitch % 12] += end - start
        next_start = notes[i + 1][0] if i + 1 < len(notes) else float('inf')
        if next_start - end >= PHRASE_REST_QUARTERS:
            rows[1, pitch % 12] += end - start
    if notes:
        rows[2, max(notes, key=lambda n: (n[0], n[1]))[2] % 12] = 1
    sums = rows.sum(axis=1, keepdims=True)
    return np.divide(rows, sums, out=np.zeros_like(rows), where=sums > 0)


def rotations(feature_rows):
    """(12, 3, 12): the features seen from each tonic (index 0 = the tonic)."""
    return np.stack([np.roll(feature_rows, -tonic, axis=1) for tonic in range(12)])


def key_scores(feature_rows, profiles):
    """(24,) scores, index mode * 12 + tonic; profiles: (2, 3, 12)."""
    rotated = rotations(feature_rows)
    return np.concatenate([(rotated * profiles[m]).sum(axis=(1, 2)) for m in range(len(MODES))])


def best_key(feature_rows, profiles):
    index = int(np.argmax(key_scores(feature_rows, profiles)))
    return index % 12, MODES[index // 12]


def fit(feature_list, keys, steps=FIT_STEPS, learning_rate=FIT_LEARNING_RATE, l2=L2):
    """Profiles (2, 3, 12) maximising the softmax likelihood of the annotated keys over the 24 keys."""
    rotated = np.stack([rotations(f) for f in feature_list])         # (songs, 12, 3, 12)
    target = np.array([MODES.index(mode) * 12 + tonic for tonic, mode in keys])
    profiles = np.zeros((len(MODES), len(FEATURES), 12))
    for _ in range(steps):
        scores = np.concatenate([np.einsum('ntfi,fi->nt', rotated, profiles[m]) for m in range(len(MODES))], axis=1)
        scores -= scores.max(axis=1, keepdims=True)
        prob = np.exp(scores)
        prob /= prob.sum(axis=1, keepdims=True)
        prob[np.arange(len(target)), target] -= 1                      # d loss / d score
        grad = np.stack([np.einsum('nt,ntfi->fi', prob[:, m * 12:(m + 1) * 12], rotated) for m in range(len(MODES))])
        profiles -= learning_rate * (grad / len(target) + l2 * profiles)
    return profiles


def write_profiles(profiles, path=PROFILES_PATH):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        f.write('# Key profiles (merlai_training.evaluation.keys fit): one line per mode and feature, 12 weights\n'
                '# from the tonic up; a key scores the sum of weight x feature over the melody seen from its tonic.\n')
        for m, mode in enumerate(MODES):
            for i, feature in enumerate(FEATURES):
                f.write('%s %s %s\n' % (mode, feature, ' '.join('%.4f' % w for w in profiles[m, i])))


def read_profiles(path=PROFILES_PATH):
    profiles = np.zeros((len(MODES), len(FEATURES), 12))
    with open(path) as f:
        for line in f:
            if line.startswith('#') or not line.strip():
                continue
            mode, feature, *weights = line.split()
            profiles[MODES.index(mode), FEATURES.index(feature)] = [float(w) for w in weights]
    return profiles


def pop909_songs(data):
    root = os.path.join(data, 'pop909')
    return sorted(s for s in os.listdir(root) if s.isdigit())


def read_split(path):
    with open(path) as f:
        return [line.strip() for line in f if line.strip()]


def song_midi(data, song):
    return os.path.join(data, 'pop909', song, song + '.mid')


def agreement(found, annotated):
    """The share of songs whose found key is the annotated one, and the songs that differ."""
    misses = sorted(s for s in annotated if found.get(s) != annotated[s])
    return 1 - len(misses) / len(annotated), misses


def product_key(path):
    """(tonic, mode) of the first key signature in a MIDI file, or None."""
    for track in mido.MidiFile(path).tracks:
        for msg in track:
            if msg.type == 'key_signature':
                minor = msg.key.endswith('m')
                return PITCH_CLASSES[msg.key[:-1] if minor else msg.key], 'min' if minor else 'maj'
    return None


def main(argv=None):
    parser = argparse.ArgumentParser(prog='python -m merlai_training.evaluation.keys')
    parser.add_argument('--data', default=DEFAULT_DATA)
    sub = parser.add_subparsers(dest='command', required=True)
    sub.add_parser('fit')
    melody = sub.add_parser('melody')
    melody.add_argument('splits', nargs='+')
    product = sub.add_parser('product')
    product.add_argument('outputs', help='a directory of <song>.mid outputs (run.py: OUT/seed1/pop909)')
    product.add_argument('split')
    args = parser.parse_args(argv)
    from ..data import is_validation
    if args.command == 'fit':
        songs = [s for s in pop909_songs(args.data) if not is_validation(s)]
        rows = [features(melody_notes(song_midi(args.data, s))) for s in songs]
        keys = [annotated_key(os.path.join(args.data, 'pop909', s)) for s in songs]
        profiles = fit(rows, keys)
        write_profiles(profiles)
        print('fitted on %d training songs: %.3f agree' % (len(songs), agreement(
            {s: best_key(r, profiles) for s, r in zip(songs, rows)}, dict(zip(songs, keys)))[0]))
        return
    splits = args.splits if args.command == 'melody' else [args.split]
    profiles = read_profiles()
    for split in splits:
        songs = read_split(split)
        annotated = {s: annotated_key(os.path.join(args.data, 'pop909', s)) for s in songs}
        if args.command == 'melody':
            found = {s: best_key(features(melody_notes(song_midi(args.data, s))), profiles) for s in songs}
        else:
            found = {s: product_key(os.path.join(args.outputs, s + '.mid')) for s in songs
                     if os.path.exists(os.path.join(args.outputs, s + '.mid'))}
            annotated = {s: annotated[s] for s in found}
        share, misses = agreement(found, annotated)
        print('%s: %d songs, key agrees on %.3f; misses: %s' % (
            split, len(annotated), share, ' '.join('%s(%s found, %s annotated)' % (
                s, found[s], annotated[s]) for s in misses) or 'none'))


if __name__ == '__main__':
    sys.exit(main())
