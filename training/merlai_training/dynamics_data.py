"""POP909's performed PIANO and BRIDGE notes with the context the dynamics model reads (`dynamics`).

Each accompaniment note becomes one feature row (FEATURES, in this order; Java's `DynamicsModel` builds the same
row) and two targets: its velocity less the mean velocity of its song's track, and its micro-timing offset from
the nearest 16th in 16ths (-0.5..0.5). Bars as `data.pop909_bars` lays them. The phrase position counts bars from
the first melody bar in 8-bar phrases (POP909 has no section labels; Java counts from the form stage's sections).
"""
import math
import os
from collections import defaultdict

import numpy as np

from . import data as song_data
from .common import CACHE_DIR, DEFAULT_DATA, load_pickle, save_pickle, split_ids

MAX_BAR_STEPS = 16
PHRASE_BARS = 8
ROLES = {'PIANO': 0, 'BRIDGE': 1}
FEATURES = ([f'metric_pos_{i}' for i in range(MAX_BAR_STEPS)] + ['three_four', 'pitch', 'chord_tone', 'bar_onsets',
            'onset_size', 'onset_highest', 'onset_lowest', 'duration', 'melody_onset', 'counter_melody']
            + [f'phrase_bar_{i}' for i in range(PHRASE_BARS)])


def song_rows(song_dir, beats_per_measure=None):
    """One POP909 folder -> (features [N, F], velocity deviation [N], offset [N], bar [N]) for its PIANO and BRIDGE
    notes."""
    song = os.path.basename(song_dir.rstrip('/'))
    midi = song_data.read_midi_notes(os.path.join(song_dir, song + '.mid'), velocity=True)
    tpq, tempos, tracks = midi
    _, bar_q, origin = song_data.pop909_bars(song_dir, tpq, tempos, beats_per_measure)
    prepared = song_data.prepare_pop909_song(song_dir, beats_per_measure, midi)
    chroma = song_data.chord_chroma_table()
    bar_steps = bar_q * 4
    T = prepared['T']
    melody_bars = np.nonzero(prepared['mel_onset'])[0]
    first_bar = int(melody_bars[0]) // bar_steps if len(melody_bars) else 0
    rows, velocity, offset, bars = [], [], [], []
    for name, role in ROLES.items():
        notes = tracks.get(name, [])
        if not notes:
            continue
        mean_velocity = float(np.mean([n[3] for n in notes]))
        placed = []
        for on, off, pitch, vel in notes:
            exact = (on / tpq - origin) * 4
            step = int(round(exact))
            if 0 <= step < T:
                placed.append((step, pitch, vel, exact - step, max(1, int(round((off / tpq - origin) * 4)) - step)))
        by_step = defaultdict(list)
        per_bar = defaultdict(int)
        for step, pitch, *_ in placed:
            by_step[step].append(pitch)
            per_bar[step // bar_steps] += 1
        for step, pitch, vel, frac, duration in placed:
            bar, pos = divmod(step, bar_steps)
            together = by_step[step]
            f = np.zeros(len(FEATURES), np.float32)
            f[pos] = 1
            f[16] = bar_q == 3
            f[17] = (pitch - 60) / 24
            f[18] = chroma[prepared['chord'][step]][pitch % 12] > 0
            f[19] = math.log1p(per_bar[bar]) / 3
            f[20] = len(together) / 4
            f[21] = pitch == max(together)
            f[22] = pitch == min(together)
            f[23] = math.log1p(duration) / 3
            f[24] = prepared['mel_onset'][step] > 0
            f[25] = role
            f[26 + (bar - first_bar) % PHRASE_BARS] = 1
            rows.append(f)
            velocity.append(vel - mean_velocity)
            offset.append(frac)
            bars.append(bar)
    if not rows:
        return np.zeros((0, len(FEATURES)), np.float32), np.zeros(0, np.float32), np.zeros(0, np.float32), np.zeros(0, np.int32)
    return np.stack(rows), np.asarray(velocity, np.float32), np.asarray(offset, np.float32), np.asarray(bars, np.int32)


def validation_songs():
    return split_ids('pop909-validation.txt')


def prepare(data=None, limit=None):
    """{'train': ..., 'validation': ...}, each {'x', 'velocity', 'offset', 'song', 'bar'}; cached in training/.cache."""
    cache = os.path.join(CACHE_DIR, 'dynamics-bars-%s.pkl' % (limit or 'all'))
    if os.path.exists(cache):
        return load_pickle(cache)
    root = os.path.join(data or DEFAULT_DATA, 'pop909')
    meter = song_data.read_pop909_index(root)
    songs = sorted(d for d in os.listdir(root) if os.path.isdir(os.path.join(root, d)))[:limit]
    held = validation_songs()
    parts = {'train': defaultdict(list), 'validation': defaultdict(list)}
    for i, song in enumerate(songs):
        x, v, o, bar = song_rows(os.path.join(root, song), meter.get(song))
        part = parts['validation' if song in held else 'train']
        part['x'].append(x)
        part['velocity'].append(v)
        part['offset'].append(o)
        part['song'].append(np.full(len(v), int(song), np.int32))
        part['bar'].append(bar)
        if i % 100 == 0:
            print('dynamics data: %d/%d songs' % (i, len(songs)), flush=True)
    result = {name: {k: np.concatenate(v) if v else np.zeros(0) for k, v in part.items()} for name, part in parts.items()}
    save_pickle(result, cache)
    return result
