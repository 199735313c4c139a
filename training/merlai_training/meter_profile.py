"""Learns where melody notes start in the bar, for finding downbeats in files whose bar lines are wrong.

For each metre (4/4 from POP909's two-beat songs, 3/4 from its three-beat songs) it counts, over the
training songs, at which 16th of the bar melody notes start, separately for short notes (under
LONG_NOTE quarters) and long ones, with the bars laid on the annotated downbeats. Java scores each candidate
downbeat phase of an input melody by the log-likelihood ratio of its onsets under these profiles
against a uniform one (dev.merlai.arranger.grid.MeterInference). Writes models/merlai-meter.json.

    /usr/bin/python3 -m merlai_training.meter_profile [--data DIR] [--out ../models/merlai-meter.json]
"""
import argparse
import csv
import json
import os
import time
from collections import Counter

import mido

LONG_NOTE = 0.75  # quarters: a quarter note played a little short still counts as long
SPLIT = os.path.join(os.path.dirname(__file__), '..', 'split', 'pop909-validation.txt')


def seconds_to_ticks(mf):
    """f(seconds) -> ticks, following the file's tempo map (120 bpm before any tempo)."""
    tempos = sorted(((t, m.tempo) for t, m in absolute(mf.tracks[0]) if m.type == 'set_tempo'), key=lambda x: x[0])
    if not tempos or tempos[0][0] > 0:
        tempos.insert(0, (0, 500000))
    segments, sec = [], 0.0
    for i, (tick, tempo) in enumerate(tempos):
        if i:
            sec += (tick - tempos[i - 1][0]) * tempos[i - 1][1] / 1e6 / mf.ticks_per_beat
        segments.append((sec, tick, tempo))

    def to_ticks(s):
        start, tick, tempo = max((seg for seg in segments if seg[0] <= s), key=lambda seg: seg[0], default=segments[0])
        return tick + (s - start) * 1e6 / tempo * mf.ticks_per_beat
    return to_ticks


def absolute(track):
    tick = 0
    for msg in track:
        tick += msg.time
        yield tick, msg


def melody_notes(mf):
    track = next(t for t in mf.tracks if t.name == 'MELODY')
    sounding, notes = {}, []
    for tick, msg in absolute(track):
        if msg.type == 'note_on' and msg.velocity > 0:
            sounding[msg.note] = tick
        elif msg.type in ('note_off', 'note_on') and msg.note in sounding:
            start = sounding.pop(msg.note)
            notes.append((start, tick - start))
    return notes


def song_counts(folder, beats_per_bar_column):
    song = os.path.basename(folder)
    mf = mido.MidiFile(os.path.join(folder, song + '.mid'))
    to_ticks = seconds_to_ticks(mf)
    with open(os.path.join(folder, 'beat_midi.txt')) as f:
        beats = [line.split() for line in f.read().split('\n') if line.strip()]
    first = to_ticks(float(beats[0][0]))
    column, beats_per_bar = beats_per_bar_column
    phase = Counter(i % beats_per_bar for i, b in enumerate(beats) if float(b[column]) == 1).most_common(1)[0][0]
    downbeat = first + phase * mf.ticks_per_beat
    sixteenth = mf.ticks_per_beat / 4
    steps = 4 * beats_per_bar
    short, long_ = Counter(), Counter()
    for onset, duration in melody_notes(mf):
        position = (onset - downbeat) / sixteenth
        if abs(position - round(position)) > 0.25:
            continue  # off the 16th grid (ornaments, unquantised)
        (long_ if duration >= LONG_NOTE * mf.ticks_per_beat else short)[round(position) % steps] += 1
    return short, long_


def main():
    ap = argparse.ArgumentParser()
    root = os.path.join(os.path.dirname(__file__), '..', '..')
    ap.add_argument('--data', default=os.path.join(root, '..', 'shared', 'data'))
    ap.add_argument('--out', default=os.path.join(root, 'models', 'merlai-meter.json'))
    args = ap.parse_args()
    started = time.time()
    validation = {line.strip() for line in open(SPLIT) if line.strip()}
    pop = os.path.join(args.data, 'pop909')
    with open(os.path.join(pop, 'index.tsv')) as f:
        beats_per_measure = {row['song_id'].zfill(3): int(row['num_beats_per_measure']) for row in csv.DictReader(f, delimiter='\t')}
    # Two-beat songs: 4/4 bars on column 3 (every 4 beats); three-beat songs: 3/4 bars on column 2.
    metres = {'4/4': ((2, 4), Counter(), Counter(), 0), '3/4': ((1, 3), Counter(), Counter(), 0)}
    songs = Counter()
    for song in sorted(os.listdir(pop)):
        folder = os.path.join(pop, song)
        if not os.path.isdir(folder) or song in validation:
            continue
        metre = '3/4' if beats_per_measure.get(song) == 3 else '4/4'
        column, short_total, long_total, _ = metres[metre]
        short, long_ = song_counts(folder, column)
        short_total.update(short)
        long_total.update(long_)
        songs[metre] += 1
    out = {'name': 'merlai-meter', 'version': '1.0.0',
           'description': 'P(a melody note starts at each 16th of the bar), short and long notes, per metre',
           'long_note_quarters': LONG_NOTE,
           'meters': {}, 'trained': {'data': 'POP909 training split (validation songs excluded)', 'songs': dict(songs),
                                     'seconds': round(time.time() - started, 1)}}
    for metre, ((_, beats_per_bar), short, long_, _) in metres.items():
        steps = 4 * beats_per_bar
        profile = {}
        for name, counts in (('short', short), ('long', long_)):
            total = sum(counts.values())
            profile[name] = [round((counts[p] + 1) / (total + steps), 6) for p in range(steps)]  # Laplace smoothing
        out['meters'][metre] = {'numerator': beats_per_bar, 'denominator': 4, 'steps': steps, **profile}
    with open(args.out, 'w') as f:
        json.dump(out, f, indent=1)
    print('wrote', args.out, dict(songs))


if __name__ == '__main__':
    main()
