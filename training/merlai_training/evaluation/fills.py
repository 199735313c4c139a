"""The fill measure (issue 18): a fill or a deliberate break in the bars that end a section of the form stage, and
in few of the others.

The sections are the ones `bin/merlai complete -v` reports (`form: intro(1-2) A(3-10) B(11-18)`, Merlai's bar
numbers, 0 = pickup); a section's last bar is a section end when another section follows it. Fills are found from
the drum onsets alone, so the measure scores any drummer, GMD's included."""
import re

import numpy as np

SECTION = re.compile(r'[^\s(]+\((\d+)(?:-(\d+))?\)')
# A bar with at most this share of its part's median onsets is a break (the drums drop out before the section)
BREAK_SHARE = 0.4


def form_line(log_text):
    """The `form:` line's sections of a `complete -v` report, None when it has none."""
    for line in log_text.splitlines():
        if line.startswith('form: '):
            return line[len('form: '):]
    return None


def section_ends(form):
    """Bar numbers that end a section with another after it, of a form as `complete -v` prints it."""
    last_bars = [int(last or first) for first, last in SECTION.findall(form)]
    return set(last_bars[:-1])


def fills(features):
    """Per bar of one part (its drum_stats.bar_features): whether it looks like a fill, 2+ tom hits or 3+ snare hits
    more than the part's median bar."""
    snare_median = np.median([f['snare'] for f in features]) if features else 0
    return [f['toms'] >= 2 or f['snare'] >= snare_median + 3 for f in features]


def fills_or_breaks(features):
    """Per bar of one part (its drum_stats.bar_features): whether it is a fill (`fills`) or a break (far fewer
    onsets than the part's median bar)."""
    median_onsets = np.median([f['onsets'] for f in features]) if features else 0
    return [fill or f['onsets'] <= BREAK_SHARE * median_onsets for fill, f in zip(fills(features), features)]


def fill_shares(songs):
    """songs: [(per-bar fill flags of a song's full bars, its section-end bar numbers)]. Returns the share of
    section-end bars with a fill or break and the share of the other bars with one (bar number n is flag n - 1:
    drum_stats.midi_bars drops the pickup, bar 0)."""
    at_end, elsewhere = [], []
    for flags, ends in songs:
        for i, flag in enumerate(flags):
            (at_end if i + 1 in ends else elsewhere).append(flag)
    return (float(np.mean(at_end)) if at_end else None, float(np.mean(elsewhere)) if elsewhere else None)
