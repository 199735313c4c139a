"""One evaluated song as bars: the input's grid and melody, and the output's accompaniment and drums.

The grid (16th steps on the input's bar lines), the melody span and which output notes are the melody
come from the shared harness's metrics.py, so these measures score exactly the notes it scores."""
import importlib.util
import os
from collections import namedtuple
from dataclasses import dataclass

import mido

from . import config


def _shared_metrics():
    path = os.path.join(config.SHARED_EVAL_DIR, 'metrics.py')
    if not os.path.exists(path):
        raise FileNotFoundError('the shared evaluation harness is missing: %s (set MERLAI_EVAL)' % path)
    spec = importlib.util.spec_from_file_location('shared_eval_metrics', path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


metrics = _shared_metrics()

# metrics.Note plus the velocity, which the shared harness does not keep (times in quarters)
Note = namedtuple('Note', 'start end pitch channel track velocity')


def read_notes(path):
    """All notes of a MIDI file with their velocities; same-pitch overlaps pair first-on/first-off."""
    return read_played(path)[0]


def read_played(path):
    """(read_notes' notes, the file's own bar lines in quarters from its time signatures, as the shared harness lays
    them: the grid it was played on), in one pass over the file."""
    mf = mido.MidiFile(path)
    tpq = mf.ticks_per_beat
    notes, timesigs, end = [], [], 0.0
    for track in mf.tracks:
        name, sounding, tick = '', {}, 0
        for msg in track:
            tick += msg.time
            if msg.type == 'track_name' and not name:
                name = msg.name.strip()
            elif msg.type == 'time_signature':
                timesigs.append((tick / tpq, msg.numerator, msg.denominator))
            elif msg.type == 'note_on' and msg.velocity > 0:
                sounding.setdefault((msg.channel, msg.note), []).append((tick, msg.velocity))
            elif msg.type in ('note_on', 'note_off') and sounding.get((msg.channel, msg.note)):
                start, velocity = sounding[(msg.channel, msg.note)].pop(0)
                notes.append(Note(start / tpq, tick / tpq, msg.note, msg.channel, name, velocity))
        end = max(end, tick / tpq)
    notes.sort(key=lambda n: (n.start, n.pitch))
    return notes, metrics.bars_from_timesigs(sorted(timesigs, key=lambda t: t[0]), max(end, 1.0))


@dataclass
class Song:
    """An output scored on its input's grid; only bars span[0] <= i < span[1] (the melody's) are scored."""
    grid: object            # metrics.Grid
    span: tuple
    melody: list            # the input's melody notes
    accompaniment: list     # output notes that are neither the melody nor drums
    drums: list             # output notes on channel 10
    played_bar_lines: list  # the output's own bar lines (quarters, from its time signatures): the grid it played on

    def bars(self):
        return range(*self.span)

    def bar_steps(self, bar):
        return range(self.grid.bar[bar], self.grid.bar[bar + 1])


def load_song(input_path, output_path):
    inp = metrics.read_midi(input_path)
    melody = metrics.melody_notes(inp)
    if not melody:
        raise ValueError('%s has no melody notes' % input_path)
    grid = metrics.load_grid(input_path, inp)
    notes, played_bar_lines = read_played(output_path)
    matched = metrics.match_melody(melody, notes)
    others = [n for i, n in enumerate(notes) if i not in matched]
    return Song(grid=grid, span=metrics.melody_span(grid, melody), melody=melody,
                accompaniment=[n for n in others if n.channel != config.DRUM_CHANNEL],
                drums=[n for n in others if n.channel == config.DRUM_CHANNEL],
                played_bar_lines=played_bar_lines)


def onsets_by_bar(song, notes):
    """Per scored bar: the set of (16th step within the bar, pitch) where NOTES start."""
    sets = {bar: set() for bar in song.bars()}
    for n in notes:
        step = song.grid.step(n.start)
        if not 0 <= step < song.grid.n:
            continue
        bar = song.grid.bar_of(step)
        if bar in sets:
            sets[bar].add((step - song.grid.bar[bar], n.pitch))
    return [frozenset(sets[bar]) for bar in song.bars()]


def melody_by_bar(song):
    """Per scored bar: the melody as (bar length in steps, its (step, pitch, length in steps) notes), to find
    bars whose melody is identical."""
    onsets = {bar: set() for bar in song.bars()}
    for n in song.melody:
        step = song.grid.step(n.start)
        if 0 <= step < song.grid.n and song.grid.bar_of(step) in onsets:
            bar = song.grid.bar_of(step)
            onsets[bar].add((step - song.grid.bar[bar], n.pitch, max(1, song.grid.step(n.end) - step)))
    return [(len(song.bar_steps(bar)), frozenset(onsets[bar])) for bar in song.bars()]


def mean(values):
    """The mean, None for no values."""
    return sum(values) / len(values) if values else None
