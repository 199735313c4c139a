"""Merlai's drum bars against human drumming (GMD validation), per bar, as overlapped area (the eval's `overlap`).

    python -m merlai_training.drum_stats OUT_DIR... [--styles pop,rock] [--data DIR] [--logs DIR] [--classifier]

OUT_DIR holds Merlai's outputs (`*.mid`, e.g. from `bin/merlai complete`); their channel-10 notes are read on the
bars of the file's time signatures (a short first bar is a pickup). Features per bar: onsets of kick, snare,
hi-hat (closed + open), cymbals (crash + ride) and toms; all onsets; velocity mean and spread; mean absolute offset
from the 16th grid (in 16ths). GMD reference: the validation split's groove performances of the given styles.
Fills (evaluation.fills): a bar with 2+ tom hits or 3+ snare hits more than the median bar of its part, or a break;
the share of such bars at the section ends of the form (the `form:` line of `complete -v`'s report: ID.log beside ID.mid,
or in --logs) and elsewhere, and the same detector on GMD's fill and groove bars. --classifier adds the
two-bar drum classifier (Merlai's songs against GMD's performances, 5 folds split by source). The overlaps are given
against all of GMD's validation grooves (`oa`, the issue's measure) and against each half of them by drummer
(`oa_gmd_tune`, `oa_gmd_held`; drum_data.validation_halves): constants are chosen on the tune half only.
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
from .evaluation import classifier, fills

GROUPS = {'kick': [0], 'snare': [1], 'hihat': [2, 3], 'cymbal': [7, 8], 'toms': [4, 5, 6]}
FEATURES = list(GROUPS) + ['onsets', 'velocity_mean', 'velocity_spread', 'abs_offset']
SLOW_BPM = 90   # the tempo split of mean_by_tempo


def bar_features(hits, vel, off):
    """Features of one bar of [16, 9] arrays."""
    f = {name: float(hits[:, idx].sum()) for name, idx in GROUPS.items()}
    f['onsets'] = float(hits.sum())
    v = vel[hits > 0]
    f['velocity_mean'] = float(v.mean() * 127) if len(v) else 0.0
    f['velocity_spread'] = float(v.std() * 127) if len(v) else 0.0
    f['abs_offset'] = float(np.abs(off[hits > 0]).mean()) if len(v) else 0.0
    return f


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
        bar_ticks = num * 4 * midi.ticks_per_beat / den   # exact: a pickup of 57/64 is not a whole number of 16ths
        t = tick
        while t < until:
            starts.append(t)
            lengths.append(round(min(bar_ticks, until - t) / step_ticks))
            t += bar_ticks
    bars = []
    # a first bar shorter than its own signature's bar, or than the second bar (Merlai writes a pickup as a time
    # signature of its own length: MidiWriter), is a pickup
    pickup = 1 if lengths and (lengths[0] < round(signatures[0][1] * 16 / signatures[0][2])
                               or len(lengths) > 1 and lengths[0] < lengths[1]) else 0
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


def song_bpm(path):
    """The first tempo of a MIDI file (120 when it has none)."""
    for track in mido.MidiFile(path).tracks:
        for msg in track:
            if msg.type == 'set_tempo':
                return mido.tempo2bpm(msg.tempo)
    return 120.0


def performance_bars(p):
    """The (hits, vel, off) of a GMD performance's bars (drum_data.prepare_groove's) that have hits."""
    return [(p['hits'][b], p['vel'][b], p['off'][b]) for b in range(len(p['hits'])) if p['hits'][b].sum() > 0]


def gmd_validation(data, styles):
    """GMD's validation performances of STYLES (indices) in 4/4, each as {'id', 'half' (tune or held), 'fill', 'bpm',
    'features': the bar_features of its bars with hits}."""
    halves = drum_data.validation_halves()
    return [{'id': p['id'], 'half': halves[p['id']], 'fill': p['fill'], 'bpm': p['bpm'],
             'bars': performance_bars(p), 'features': [bar_features(*b) for b in performance_bars(p)]}
            for p in drum_data.prepare_groove(data) if p['split'] == 'validation' and p['style'] in styles and p['meter'] == 0]


def feature_lists(features):
    """{feature: its values} over per-bar features."""
    return {k: [f[k] for f in features] for k in FEATURES}


def main(argv=None):
    ap = argparse.ArgumentParser(prog='merlai_training.drum_stats', description=__doc__.split('\n\n')[0])
    ap.add_argument('outputs', nargs='+')
    ap.add_argument('--styles', default='pop,rock', help="GMD primary styles to compare with (default: pop,rock)")
    ap.add_argument('--data', default=DEFAULT_DATA)
    ap.add_argument('--classifier', action='store_true', help='also train the two-bar drum classifier (minutes)')
    ap.add_argument('--logs', help="folder of the `complete -v` reports, ID.log for ID.mid (default: beside each file; "
                    "scripts/evaluate's are in out/eval/merlai-pop909/logs/seed1/pop909)")
    args = ap.parse_args(argv)
    sys.path.insert(0, os.path.join(os.path.dirname(REPO_ROOT), 'shared', 'eval'))
    from metrics import overlap

    gmd = gmd_validation(args.data, [drum_data.STYLES.index(s) for s in args.styles.split(',')])
    grooves = [p for p in gmd if not p['fill']]
    # the measure is against all of them; constants are chosen against the tune half only
    ref = {half: feature_lists([f for p in grooves if half in ('all', p['half']) for f in p['features']])
           for half in ('all',) + drum_data.HALVES}
    # GMD's drummers as the fill detector sees them: its fill performances' bars, and its groove bars
    ref_fill = [flag for p in gmd if p['fill'] for flag in fills.fills_or_breaks(p['features'])]
    ref_groove_fill = [flag for p in grooves for flag in fills.fills_or_breaks(p['features'])]
    ours, songs, windows = [], [], {}
    # the per-bar means by tempo: POP909's songs are slower than most of GMD's pop and rock (16th hi-hats, less push)
    by_tempo = {(who, slow): [] for who in ('merlai', 'gmd') for slow in (True, False)}
    for p in grooves:
        by_tempo['gmd', p['bpm'] < SLOW_BPM] += p['features']
    files = [f for d in args.outputs for f in sorted(glob.glob(os.path.join(d, '**', '*.mid'), recursive=True))]
    for path in files:
        bars = midi_bars(path)
        features = [bar_features(*b) for b in bars]
        log = (os.path.join(args.logs, os.path.basename(path)) if args.logs else path)[:-len('.mid')] + '.log'
        form = fills.form_line(open(log).read()) if os.path.exists(log) else None
        if form:
            songs.append((fills.fills_or_breaks(features), fills.section_ends(form)))
        windows[os.path.basename(path)[:-len('.mid')]] = classifier.two_bar_windows(classifier.drum_rolls(bars), rows=drum_data.N_INSTRUMENTS, dtype=np.float32)
        played = [f for f in features if f['onsets'] > 0]
        by_tempo['merlai', song_bpm(path) < SLOW_BPM] += played
        ours += played
    ours = feature_lists(ours)
    at_end, elsewhere = fills.fill_shares(songs)
    result = {'files': len(files), 'files_with_form': len(songs), 'merlai_bars': len(ours['onsets']),
              'gmd_bars': {half: len(r['onsets']) for half, r in ref.items()}, 'gmd_styles': args.styles}
    for half, r in ref.items():
        suffix = '' if half == 'all' else '_gmd_' + half
        result['oa' + suffix] = {k: round(overlap(ours[k], r[k]), 3) for k in FEATURES if ours[k] and r[k]}
    result.update({
        'mean_merlai': {k: round(float(np.mean(ours[k])), 2) for k in FEATURES if ours[k]},
        **{'mean_gmd' + ('' if half == 'all' else '_' + half): {k: round(float(np.mean(r[k])), 2) for k in FEATURES if r[k]}
           for half, r in ref.items()},
        'fill_share_merlai_section_ends': at_end, 'fill_share_merlai_other_bars': elsewhere,
        'fill_share_gmd_fill_performances': round(float(np.mean(ref_fill)), 3) if ref_fill else None,
        'fill_share_gmd_groove_bars': round(float(np.mean(ref_groove_fill)), 3) if ref_groove_fill else None,
        'mean_by_tempo': {'%s %s %d bpm (%d bars)' % (who, 'under' if slow else 'from', SLOW_BPM, len(bars)):
                          {k: round(float(np.mean([f[k] for f in bars])), 2) for k in FEATURES}
                          for (who, slow), bars in by_tempo.items() if bars}})
    if args.classifier:
        human = {p['id']: classifier.two_bar_windows(classifier.drum_rolls(p['bars']), rows=drum_data.N_INSTRUMENTS, dtype=np.float32)
                 for p in gmd}
        classified = classifier.cross_validate_sources(windows, human)
        result['classifier_folds'] = [round(a, 3) for a in classified.fold_accuracy]
        result['classifier_accuracy'] = round(classified.accuracy(), 3)
    print(json.dumps(result, indent=1))


if __name__ == '__main__':
    main()
