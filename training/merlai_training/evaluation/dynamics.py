"""Per-bar dynamics of each generated track against POP909's human PIANO track (issue 18)."""
import math
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


def spread_variation(spreads_by_song, least_spread=1.0, least_bars=4):
    """(between, within): how the log of a track's per-bar spread varies between songs (the standard deviation of the
    songs' means) and within a song (the mean of the songs' standard deviations). A player keeps a song's contrast:
    the same pooled spreads can come from songs each even or full of contrast, or from every song swinging bar to bar.
    Bars under least_spread (even bars, whose log says nothing) and songs with fewer than least_bars left are not counted."""
    logs = [[math.log(v) for v in spreads if v >= least_spread] for spreads in spreads_by_song]
    logs = [song for song in logs if len(song) >= least_bars]
    if len(logs) < 2:
        return None, None
    return statistics.pstdev([statistics.mean(song) for song in logs]), mean([statistics.pstdev(song) for song in logs])


def summarize(system_songs, human_songs):
    """{track: {'spread': mean per-bar spread, 'oa': overlapped area with the human PIANO's, 'between' and 'within':
    spread_variation}} plus the human's own as 'human PIANO'; system_songs and human_songs are Songs of the same inputs."""
    human = [track_spreads(song).get(HUMAN_TRACK, []) for song in human_songs]
    pooled_human = [v for spreads in human for v in spreads]
    system = defaultdict(list)
    for song in system_songs:
        for track, spreads in track_spreads(song).items():
            system[track].append(spreads)

    def track_figures(spreads_by_song, oa):
        pooled = [v for spreads in spreads_by_song for v in spreads]
        between, within = spread_variation(spreads_by_song)
        return {'spread': mean(pooled), 'oa': oa(pooled), 'between': between, 'within': within}

    figures = {track: track_figures(v, lambda pooled: metrics.overlap(pooled, pooled_human)) for track, v in sorted(system.items())}
    figures['human ' + HUMAN_TRACK] = track_figures(human, lambda pooled: 1.0 if pooled else None)
    return figures
