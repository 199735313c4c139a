"""Where chords lose against the human's (issue 20): chord accuracy (../shared/eval's per-beat root + maj/min) split
by the beat's place in its bar, by how far into the melody its bar is, by whether its bar's melody repeats an earlier
bar's, and by whether the melody sounds; and how often the chord changes from one beat to the next, against the
human's rate. Several systems side by side (e.g. the live replays and the offline arranger's files of the same songs).

Usage: python3 benchmarks/live-chords.py INPUTS SYSTEM_DIR [SYSTEM_DIR ...]
INPUTS is make_inputs.py's folder, each SYSTEM_DIR holds pop909/<song>.mid with CHORDS labels.
"""
import bisect
import collections
import glob
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', '..', 'shared', 'eval'))
import metrics  # noqa: E402  (../shared/eval, the scoring harness)

# a bar repeats an earlier one when their top melody notes agree on this share of the bar's 16th steps
REPEAT_SHARE = 0.875
EARLY_BARS = 8


def label_at(chords, t):
    k = bisect.bisect_right([q for q, _ in chords], t) - 1
    return chords[k][1] if k >= 0 else 'N'


def repeated_bars(grid, span, top):
    repeated = set()
    for b in range(span[0], span[1]):
        steps = top[grid.bar[b]:grid.bar[b + 1]]
        for earlier in range(span[0], b):
            other = top[grid.bar[earlier]:grid.bar[earlier + 1]]
            if len(other) == len(steps) and sum(x == y for x, y in zip(steps, other)) >= REPEAT_SHARE * len(steps):
                repeated.add(b)
                break
    return repeated


def main(inputs, systems):
    hits = {s: collections.defaultdict(lambda: [0, 0]) for s in systems}
    changes = collections.defaultdict(lambda: [0, 0])
    for path in sorted(glob.glob(os.path.join(inputs, 'pop909', '*.mid'))):
        if path.endswith('.ref.mid'):
            continue
        song = os.path.basename(path)
        midi = metrics.read_midi(path)
        melody = metrics.melody_notes(midi)
        grid = metrics.load_grid(path, midi)
        span = metrics.melody_span(grid, melody)
        reference = metrics.read_meta(path)['chords']
        starts = [c[0] for c in reference]
        sounding = metrics.roll(melody, grid)
        repeated = repeated_bars(grid, span, [max(p) if p else -1 for p in sounding])
        played = {s: metrics.read_midi(os.path.join(s, 'pop909', song))['chords'] for s in systems}
        previous = {}
        for step in range(grid.bar[span[0]], grid.bar[span[1]]):
            bar = grid.bar_of(step)
            if (step - grid.bar[bar]) % 4:
                continue
            t = grid.time(step) + metrics.ONSET_TOL
            j = bisect.bisect_right(starts, t) - 1
            human = metrics.majmin(reference[j][2] if j >= 0 and t < reference[j][1] else 'N')
            into = bar - span[0]
            slices = ['all', 'beat %d of the bar' % ((step - grid.bar[bar]) // 4 + 1),
                      'bars 1-%d' % EARLY_BARS if into < EARLY_BARS else 'bars %d-' % (EARLY_BARS + 1),
                      'bar repeats melody' if bar in repeated else 'bar has new melody',
                      'melody sounds' if any(sounding[step:step + 4]) else 'melody rests']
            chords = {s: metrics.majmin(label_at(played[s], t)) for s in systems}
            chords['human'] = human
            for s in systems:
                for name in slices:
                    hits[s][name][0] += chords[s] is not None and chords[s] == human
                    hits[s][name][1] += 1
            for s, chord in chords.items():
                if s in previous:
                    changes[s][0] += chord != previous[s]
                    changes[s][1] += 1
                previous[s] = chord
    names = [os.path.basename(os.path.normpath(s)) for s in systems]
    print('chord accuracy by slice: %s (beats)' % ' | '.join(names))
    for name in sorted(hits[systems[0]]):
        print('  %-20s %s  (%d)' % (name, ' | '.join('%.3f' % (hits[s][name][0] / hits[s][name][1]) for s in systems),
                                    hits[systems[0]][name][1]))
    print('chord changes per beat: %s; the human %.3f' % (
        ' | '.join('%.3f' % (changes[s][0] / changes[s][1]) for s in systems), changes['human'][0] / changes['human'][1]))


if __name__ == '__main__':
    main(sys.argv[1], sys.argv[2:])
