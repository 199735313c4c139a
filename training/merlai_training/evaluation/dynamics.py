"""Per-bar dynamics of each generated track against POP909's human PIANO track (issue 18)."""
import statistics
from collections import defaultdict

from .songs import mean, metrics

HUMAN_TRACK = 'PIANO'


def velocity_spreads(song, notes):
    """Per scored bar with at least two onsets: the standard deviation of their velocities."""
    by_bar = defaultdict(list)
    for n in notes:
        step = song.grid.step(n.start)
        if 0 <= step < song.grid.n and song.span[0] <= song.grid.bar_of(step) < song.span[1]:
            by_bar[song.grid.bar_of(step)].append(n.velocity)
    return [statistics.pstdev(v) for _, v in sorted(by_bar.items()) if len(v) >= 2]


def track_spreads(song):
    """{track name: per-bar velocity spreads} of a song's accompaniment."""
    tracks = defaultdict(list)
    for n in song.accompaniment:
        tracks[n.track].append(n)
    return {name: velocity_spreads(song, notes) for name, notes in tracks.items()}


def summarize(system_songs, human_songs):
    """{track: {'spread': mean per-bar spread, 'oa': overlapped area with the human PIANO's}} plus the human's
    own mean as 'human PIANO'; system_songs and human_songs are Songs of the same inputs."""
    human = [v for song in human_songs for v in track_spreads(song).get(HUMAN_TRACK, [])]
    system = defaultdict(list)
    for song in system_songs:
        for track, spreads in track_spreads(song).items():
            system[track] += spreads
    figures = {track: {'spread': mean(v), 'oa': metrics.overlap(v, human)} for track, v in sorted(system.items())}
    figures['human ' + HUMAN_TRACK] = {'spread': mean(human), 'oa': 1.0 if human else None}
    return figures
