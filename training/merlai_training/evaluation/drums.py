"""Per-bar drum features of generated drums against GMD's human performances of the same style (issue 18)."""
import bisect
import csv
import os
import statistics
from collections import namedtuple

from . import config
from .songs import mean, metrics, read_notes

# One drum onset: its 16th step within the bar, its distance from that step (in 16ths, signed), pitch, velocity
Hit = namedtuple('Hit', 'step offset_steps pitch velocity')

PIECE_OF_PITCH = {pitch: piece for piece, pitches in config.DRUM_PIECES.items() for pitch in pitches}
FEATURES = ['kick_onsets', 'snare_onsets', 'hihat_onsets', 'cymbal_onsets',
            'velocity_mean', 'velocity_spread', 'grid_offset_steps']


def hits_by_bar(notes, bar_starts_steps, origin_quarters=0.0, played_bar_lines=None):
    """Hits of NOTES grouped by bar; bar_starts_steps: 16th steps of the bar lines (the last one ends the
    last bar). A hit belongs to the 16th step nearest its onset (a pushed downbeat opens its bar). Its offset is
    measured on the 16ths of PLAYED_BAR_LINES (quarters) where given: the grid the drummer played on, which may lie
    a fraction of a 16th away from the bars the hits are counted in."""
    bars = [[] for _ in bar_starts_steps[:-1]]
    for n in notes:
        position = (n.start - origin_quarters) / metrics.STEP
        step = round(position)
        if not bar_starts_steps[0] <= step < bar_starts_steps[-1]:
            continue
        bar = next(i for i in range(len(bars)) if step < bar_starts_steps[i + 1])
        offset = position - step if played_bar_lines is None else offset_from_grid(n.start, played_bar_lines)
        bars[bar].append(Hit(step - bar_starts_steps[bar], offset, n.pitch, n.velocity))
    return bars


def offset_from_grid(start, bar_lines):
    """Signed distance (16ths) of an onset from the nearest 16th counted from its bar line (the bar line after it
    when it is played less than half a 16th ahead of it)."""
    line = bar_lines[max(0, bisect.bisect_right(bar_lines, start + metrics.STEP / 2) - 1)]
    position = (start - line) / metrics.STEP
    return position - round(position)


def song_bars(song):
    """The hits of a Song's drums per scored bar: counted in the input's bars, timed on the output's own grid."""
    starts = song.grid.bar[song.span[0]:song.span[1] + 1]
    return hits_by_bar(song.drums, starts, song.grid.origin, song.played_bar_lines)


def is_fill(bar):
    """A bar that plays the toms is a fill (generated drums carry no fill label)."""
    return any(PIECE_OF_PITCH.get(h.pitch) == 'tom' for h in bar)


def bar_features(bar):
    """{feature: value} of one bar with hits (the spread needs two)."""
    pieces = [PIECE_OF_PITCH.get(h.pitch) for h in bar]
    velocities = [h.velocity for h in bar]
    return {
        'kick_onsets': pieces.count('kick'), 'snare_onsets': pieces.count('snare'),
        'hihat_onsets': pieces.count('hihat'), 'cymbal_onsets': pieces.count('cymbal'),
        'velocity_mean': mean(velocities),
        'velocity_spread': statistics.pstdev(velocities) if len(velocities) >= 2 else None,
        'grid_offset_steps': mean([abs(h.offset_steps) for h in bar]),
    }


def feature_values(bars):
    """{feature: per-bar values} over the bars that have hits."""
    values = {f: [] for f in FEATURES}
    for bar in bars:
        if bar:
            for f, v in bar_features(bar).items():
                if v is not None:
                    values[f].append(v)
    return values


def gmd_performances(groove_dir, styles, split=config.GMD_SPLIT):
    """[(beat_type 'beat'|'fill', bars of hits)] of GMD's performances of SPLIT whose style family (the part
    before '/') is in STYLES."""
    with open(os.path.join(groove_dir, 'info.csv'), newline='') as f:
        rows = [r for r in csv.DictReader(f)
                if r['split'].strip() == split and r['style'].split('/')[0] in styles]
    performances = []
    for row in rows:
        numerator, denominator = (int(x) for x in row['time_signature'].split('-'))
        bar_steps = round(numerator * 4 / denominator / metrics.STEP)
        notes = [n for n in read_notes(os.path.join(groove_dir, row['midi_filename']))
                 if n.channel == config.DRUM_CHANNEL]
        if not notes:
            continue
        bar_count = int(round(max(n.start for n in notes) / metrics.STEP)) // bar_steps + 1
        performances.append((row['beat_type'], hits_by_bar(notes, [i * bar_steps for i in range(bar_count + 1)])))
    return performances


def summarize(system_bars, performances):
    """{feature: overlapped area} of the system's bars (a list of bars of hits) against the reference
    performances' groove bars, and 'fill_onsets' of its fill bars against the fill bars of the reference's fill
    performances (a fill performance also holds bars that are no fill, such as the crash that lands it)."""
    system = feature_values([b for b in system_bars if not is_fill(b)])
    human = feature_values([b for kind, bars in performances if kind == 'beat' for b in bars])
    figures = {f: metrics.overlap(system[f], human[f]) for f in FEATURES}
    figures['fill_onsets'] = metrics.overlap([len(b) for b in system_bars if b and is_fill(b)],
                                             [len(b) for kind, bars in performances if kind == 'fill'
                                              for b in bars if b and is_fill(b)])
    figures['drum_bars'] = sum(1 for b in system_bars if b)
    return figures
