"""Does the accompaniment repeat where the melody repeats, as the human's does (issue 17)?"""
from dataclasses import dataclass

from . import config
from .songs import mean, melody_by_bar, metrics, onsets_by_bar


def jaccard(a, b):
    """|A & B| / |A | B| of two onset sets; two empty bars are alike (1.0)."""
    union = a | b
    return len(a & b) / len(union) if union else 1.0


def repeated_melody_pairs(melody_bars):
    """Index pairs (i, j), i < j, of bars with the same length and the same non-empty melody."""
    first_seen, pairs = {}, []
    for j, bar in enumerate(melody_bars):
        if not bar[1]:
            continue
        earlier = first_seen.setdefault(bar, [])
        pairs += [(i, j) for i in earlier]
        earlier.append(j)
    return pairs


@dataclass
class RepeatFigures:
    """One song: similarities of the system's and the human's accompaniment over the same bar pairs."""
    repeat_system: list       # Jaccard per pair of bars with identical melody
    repeat_human: list
    consecutive_system: list  # Jaccard of each bar with the next
    consecutive_human: list
    outro_system: bool
    outro_human: bool


def repeat_figures(system, human):
    """System and human Songs of one input (the same grid and melody)."""
    pairs = repeated_melody_pairs(melody_by_bar(system))
    sys_onsets, ref_onsets = onsets_by_bar(system, system.accompaniment), onsets_by_bar(human, human.accompaniment)
    return RepeatFigures(
        repeat_system=[jaccard(sys_onsets[i], sys_onsets[j]) for i, j in pairs],
        repeat_human=[jaccard(ref_onsets[i], ref_onsets[j]) for i, j in pairs],
        consecutive_system=[jaccard(a, b) for a, b in zip(sys_onsets, sys_onsets[1:])],
        consecutive_human=[jaccard(a, b) for a, b in zip(ref_onsets, ref_onsets[1:])],
        outro_system=has_outro(system), outro_human=has_outro(human))


def has_outro(song):
    """Whether the accompaniment sounds on for more than OUTRO_MIN_BARS of the last melody bar's length
    after the last melody note ends."""
    if not song.accompaniment:
        return False
    melody_end = max(n.end for n in song.melody)
    last_bar = song.span[1] - 1
    bar_quarters = len(song.bar_steps(last_bar)) * metrics.STEP
    return max(n.end for n in song.accompaniment) - melody_end > config.OUTRO_MIN_BARS * bar_quarters


def summarize(figures):
    """Set-level figures from a list of RepeatFigures."""
    pairs = [(s, h) for f in figures for s, h in zip(f.repeat_system, f.repeat_human)]
    consecutive_system = [v for f in figures for v in f.consecutive_system]
    consecutive_human = [v for f in figures for v in f.consecutive_human]
    return {
        'repeat_pairs': len(pairs),
        'repeat_gap': mean([abs(s - h) for s, h in pairs]),
        'repeat_system': mean([s for s, _ in pairs]),
        'repeat_human': mean([h for _, h in pairs]),
        'consecutive_system': mean(consecutive_system),
        'consecutive_human': mean(consecutive_human),
        'outro_system': sum(f.outro_system for f in figures),
        'outro_human': sum(f.outro_human for f in figures),
    }
