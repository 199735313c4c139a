"""Merlai's drum bars against human drumming (GMD validation), per bar, as overlapped area (the eval's `overlap`).

    python -m merlai_training.drum_stats OUT_DIR... [--styles pop,rock] [--data DIR]

OUT_DIR holds Merlai's outputs (`*.mid`, e.g. from `bin/merlai complete`); their channel-10 notes are read on the
bars of the file's time signatures (a short first bar is a pickup). Features per bar: onsets of kick, snare,
hi-hat (closed + open), cymbals (crash + ride) and toms; all onsets; velocity mean and spread; mean absolute offset
from the 16th grid (in 16ths). GMD reference: the validation split's groove performances of the given styles.
Fills: a bar with 2+ tom hits or 3+ snare hits more than the median bar of its part; the share of such bars at
the planned section ends (every 8th full bar) and elsewhere, and the same detector on GMD's fill and groove bars.
"""
import argparse
import glob
import json
import os
import sys

import mido
import numpy as np

from . import drum_data
from .common import DEFAULT_DATA, REPO_ROOT

GROUPS = {'kick': [0], 'snare': [1], 'hihat': [2, 3], 'cymbal': [7, 8], 'toms': [4, 5, 6]}
FEATURES = list(GROUPS) + ['onsets', 'velocity_mean', 'velocity_spread', 'abs_offset']
PHRASE_BARS = 8


def bar_features(hits, vel, off):
    """Features of one bar of [16, 9] arrays."""
    f = {name: float(hits[:, idx].sum()) for name, idx in GROUPS.items()}
    f['onsets'] = float(hits.sum())
    v = vel[hits > 0]
    f['velocity_mean'] = float(v.mean() * 127) if len(v) else 0.0
    f['velocity_spread'] = float(v.std() * 127) if len(v) else 0.0
    f['abs_offset'] = float(np.abs(off[hits > 0]).mean()) if len(v) else 0.0
    return f


def fills(bars):
    """Whether each bar of one part looks like a fill (against the part's median snare count)."""
    snare_median = np.median([f['snare'] for f in bars]) if bars else 0
    return [f['toms'] >= 2 or f['snare'] >= snare_median + 3 for f in bars]


def midi_bars(path):
    """(hits, vel, off) per full bar of a MIDI file's drum notes, and how many bars were pickups (0 or 1)."""
    midi = mido.MidiFile(path)
    step_ticks = midi.ticks_per_beat / 4
    signatures, notes = [], []
    for track in midi.tracks:
        tick = 0
        for msg in track:
            tick += msg.time
            if msg.type == 'time_signature':
                signatures.append((tick, msg.numerator, msg.denominator))
            elif msg.type == 'note_on' and msg.velocity > 0 and msg.channel == 9 and msg.note in drum_data.NOTE_TO_INSTRUMENT:
                notes.append((tick, drum_data.NOTE_TO_INSTRUMENT[msg.note], msg.velocity))
    signatures = sorted(signatures) or [(0, 4, 4)]
    end = max([n[0] for n in notes] + [0]) + 1
    starts, lengths = [], []
    for i, (tick, num, den) in enumerate(signatures):
        until = signatures[i + 1][0] if i + 1 < len(signatures) else end
        length = round(num * 16 / den)
        t = tick
        while t < until:
            starts.append(t)
            lengths.append(min(length, round((until - t) / step_ticks)))
            t += length * step_ticks
    bars = []
    pickup = 1 if lengths and lengths[0] < round(signatures[0][1] * 16 / signatures[0][2]) else 0
    for b in range(len(starts)):
        bars.append([np.zeros((16, 9), np.float32) for _ in range(3)])
    for tick, inst, velocity in notes:
        b = max(0, np.searchsorted(starts, tick + step_ticks / 2, side='right') - 1)
        pos = (tick - starts[b]) / step_ticks
        s = int(round(pos))
        if s >= 16 or b >= len(bars):
            continue
        hits, vel, off = bars[b]
        if velocity / 127 > vel[s, inst]:
            hits[s, inst], vel[s, inst], off[s, inst] = 1, velocity / 127, pos - s
    return [tuple(b) for b in bars[pickup:]]


def main(argv=None):
    ap = argparse.ArgumentParser(prog='merlai_training.drum_stats', description=__doc__.split('\n\n')[0])
    ap.add_argument('outputs', nargs='+')
    ap.add_argument('--styles', default='pop,rock', help="GMD primary styles to compare with (default: pop,rock)")
    ap.add_argument('--data', default=DEFAULT_DATA)
    args = ap.parse_args(argv)
    sys.path.insert(0, os.path.join(os.path.dirname(REPO_ROOT), 'shared', 'eval'))
    from metrics import overlap

    styles = [drum_data.STYLES.index(s) for s in args.styles.split(',')]
    ref, ref_fill, ref_groove_fill = {k: [] for k in FEATURES}, [], []
    for p in drum_data.prepare_groove(args.data):
        if p['split'] != 'validation' or p['style'] not in styles or p['meter'] != 0:
            continue
        bars = [bar_features(p['hits'][b], p['vel'][b], p['off'][b]) for b in range(len(p['hits'])) if p['hits'][b].sum() > 0]
        (ref_fill if p['fill'] else ref_groove_fill).extend(fills(bars))
        if not p['fill']:
            for f in bars:
                for k in FEATURES:
                    ref[k].append(f[k])
    ours, at_end, elsewhere = {k: [] for k in FEATURES}, [], []
    files = [f for d in args.outputs for f in sorted(glob.glob(os.path.join(d, '**', '*.mid'), recursive=True))]
    for path in files:
        bars = [bar_features(*b) for b in midi_bars(path)]
        bars = [f for f in bars if f['onsets'] > 0]
        for i, fill in enumerate(fills(bars)):
            (at_end if (i + 1) % PHRASE_BARS == 0 and i < len(bars) - 1 else elsewhere).append(fill)
        for f in bars:
            for k in FEATURES:
                ours[k].append(f[k])
    result = {'files': len(files), 'merlai_bars': len(ours['onsets']), 'gmd_bars': len(ref['onsets']),
              'gmd_styles': args.styles,
              'oa': {k: round(overlap(ours[k], ref[k]), 3) for k in FEATURES if ours[k] and ref[k]},
              'mean_merlai': {k: round(float(np.mean(ours[k])), 2) for k in FEATURES if ours[k]},
              'mean_gmd': {k: round(float(np.mean(ref[k])), 2) for k in FEATURES if ref[k]},
              'fill_share_merlai_section_ends': round(float(np.mean(at_end)), 3) if at_end else None,
              'fill_share_merlai_other_bars': round(float(np.mean(elsewhere)), 3) if elsewhere else None,
              'fill_share_gmd_fill_performances': round(float(np.mean(ref_fill)), 3) if ref_fill else None,
              'fill_share_gmd_groove_bars': round(float(np.mean(ref_groove_fill)), 3) if ref_groove_fill else None}
    print(json.dumps(result, indent=1))


if __name__ == '__main__':
    main()
