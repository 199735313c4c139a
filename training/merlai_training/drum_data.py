"""Groove MIDI Dataset (GMD, Magenta; CC BY 4.0) -> bars of drum hits on a 16th grid.

Each performance is played to a metronome at the tempo of `info.csv`, bar lines at tick 0, so a bar is
`bar_steps` 16ths (16 for 4/4, 12 for 3/4 and 6/8; 5/4 and 5/8 are skipped). A hit is snapped to the nearest
16th; what is left is its micro-timing offset in steps (-0.5..0.5). The 22 GM notes GMD uses are folded into 9
instruments (Magenta's GrooVAE mapping). Only the `train` and `validation` splits are read: the test split is
held back for independent evaluation. The validation split is halved by drummer (`training/split/gmd-validation-tune.txt`
and `-held.txt`): constants are chosen on the tune half only, and figures are given for both halves.
"""
import csv
import os

import mido
import numpy as np

from .common import CACHE_DIR, DEFAULT_DATA, load_pickle, save_pickle, split_ids

# (name, GM note played, GM notes folded into it)
INSTRUMENTS = [
    ('kick', 36, (35, 36)),
    ('snare', 38, (37, 38, 40)),
    ('closed_hihat', 42, (22, 42, 44)),
    ('open_hihat', 46, (26, 46)),
    ('low_tom', 43, (41, 43, 58)),
    ('mid_tom', 47, (45, 47)),
    ('high_tom', 50, (48, 50)),
    ('crash', 49, (49, 52, 55, 57)),
    ('ride', 51, (51, 53, 59)),
]
NOTE_TO_INSTRUMENT = {n: i for i, (_, _, notes) in enumerate(INSTRUMENTS) for n in notes}
N_INSTRUMENTS = len(INSTRUMENTS)
MAX_STEPS = 16
METERS = {'4-4': 16, '3-4': 12, '6-8': 12}
METER_NAMES = ['4/4', '3/4', '6/8']
# GMD's primary styles (before the '/'); the rare ones are pooled
STYLES = ['pop', 'rock', 'funk', 'hiphop', 'jazz', 'latin', 'afrocuban', 'punk', 'neworleans', 'soul',
          'country', 'gospel', 'reggae', 'afrobeat', 'dance', 'other']
SPLITS = ('train', 'validation')
# The validation performances' halves: by drummer, the drummers in order of their pop/rock 4/4 groove bars there
# (drummer7 307, drummer6 217, drummer1 147, drummer8 85, drummer3 34, drummer2 10, drummer9 5, then drummer4, drummer5
# with none) alternately to tune and held, so no drummer a constant was chosen on is in the held half
HALVES = ('tune', 'held')


def style_index(gmd_style):
    primary = gmd_style.split('/')[0]
    return STYLES.index(primary) if primary in STYLES else STYLES.index('other')


def energy_of(hits, bar_steps):
    """A bar's energy: log(1 + hits per 16 steps), all instruments together (the section energy input)."""
    return float(np.log1p(hits.sum() * MAX_STEPS / bar_steps))


def read_performance(path, bar_steps):
    """Hits [bars, 16, 9] (0/1), velocity [bars, 16, 9] (0..1) and offset [bars, 16, 9] (steps) of one MIDI file."""
    midi = mido.MidiFile(path)
    per_step = midi.ticks_per_beat / 4
    events = []
    for track in midi.tracks:
        tick = 0
        for msg in track:
            tick += msg.time
            if msg.type == 'note_on' and msg.velocity > 0 and msg.note in NOTE_TO_INSTRUMENT:
                events.append((tick / per_step, NOTE_TO_INSTRUMENT[msg.note], msg.velocity))
    if not events:
        return None
    last = max(e[0] for e in events)
    bars = int(np.round(last)) // bar_steps + 1
    hits = np.zeros((bars, MAX_STEPS, N_INSTRUMENTS), np.float32)
    vel = np.zeros_like(hits)
    off = np.zeros_like(hits)
    for pos, inst, velocity in events:
        step = int(np.round(pos))
        b, s = divmod(step, bar_steps)
        if velocity / 127 > vel[b, s, inst]:   # two hits in one cell: the louder one
            hits[b, s, inst] = 1
            vel[b, s, inst] = velocity / 127
            off[b, s, inst] = pos - step
    return hits, vel, off


def prepare_groove(data=None, limit=None, force=False):
    """All train/validation performances: list of dicts (id, style, meter, bpm, fill, split, hits, vel, off)."""
    root = os.path.join(data or DEFAULT_DATA, 'groove')
    cache = os.path.join(CACHE_DIR, 'groove-%s.pkl' % (limit or 'all'))
    if not force and limit is None and os.path.exists(cache):
        return load_pickle(cache)
    performances = []
    with open(os.path.join(root, 'info.csv')) as f:
        for row in csv.DictReader(f):
            if row['split'] not in SPLITS or row['time_signature'] not in METERS:
                continue
            bar_steps = METERS[row['time_signature']]
            bars = read_performance(os.path.join(root, row['midi_filename']), bar_steps)
            if bars is None:
                continue
            hits, vel, off = bars
            performances.append({'id': row['id'], 'style': style_index(row['style']), 'gmd_style': row['style'],
                                 'meter': list(METERS).index(row['time_signature']), 'bar_steps': bar_steps,
                                 'bpm': float(row['bpm']), 'fill': row['beat_type'] == 'fill',
                                 'split': row['split'], 'hits': hits, 'vel': vel, 'off': off})
            if limit and len(performances) >= limit:
                break
    if limit is None:
        save_pickle(performances, cache)
    return performances


def validation_halves():
    """{validation performance id: 'tune' or 'held'} from training/split/gmd-validation-{tune,held}.txt."""
    return {performance: half for half in HALVES for performance in split_ids('gmd-validation-%s.txt' % half)}


def bar_examples(performances):
    """One example per bar that has hits: the bar before it (zeros at the start) and the conditions."""
    ex = {k: [] for k in ('prev_hits', 'prev_vel', 'style', 'meter', 'tempo', 'fill', 'energy', 'hits', 'vel', 'off')}
    for p in performances:
        for b in range(len(p['hits'])):
            if p['hits'][b].sum() == 0:
                continue
            prev = b - 1 if b > 0 else None
            ex['prev_hits'].append(p['hits'][prev] if prev is not None else np.zeros_like(p['hits'][b]))
            ex['prev_vel'].append(p['vel'][prev] if prev is not None else np.zeros_like(p['vel'][b]))
            ex['style'].append(p['style'])
            ex['meter'].append(p['meter'])
            ex['tempo'].append(tempo_feature(p['bpm']))
            ex['fill'].append(1.0 if p['fill'] else 0.0)
            ex['energy'].append(energy_of(p['hits'][b], p['bar_steps']))
            ex['hits'].append(p['hits'][b])
            ex['vel'].append(p['vel'][b])
            ex['off'].append(p['off'][b])
    ints = ('style', 'meter')
    return {k: np.asarray(v, np.int64 if k in ints else np.float32) for k, v in ex.items()}


def tempo_feature(bpm):
    """The tempo input: log2(bpm / 120)."""
    return float(np.log2(bpm / 120.0))
