package dev.merlai.music;

import java.util.List;
import java.util.Optional;

/**
 * A chord label over a span of time.
 *
 * @param onset    start, in ticks
 * @param duration length in ticks, at least 1
 * @param chord    the chord (may be {@link Chord#NONE})
 */
public record ChordSpan(long onset, long duration, Chord chord) {

    public ChordSpan {
        if (onset < 0 || duration < 1) throw new IllegalArgumentException("chord span needs onset >= 0 and duration >= 1");
        if (chord == null) throw new IllegalArgumentException("chord is required");
    }

    public long end() {
        return onset + duration;
    }

    /**
     * The span of {@code spans} (sorted by onset, not overlapping, as a {@link Score}'s and a live session's are) that
     * sounds at {@code tick}, if any. A binary search: a live session asks on every commit, of a list that grows with
     * the song.
     */
    public static Optional<ChordSpan> at(List<ChordSpan> spans, long tick) {
        int low = 0, high = spans.size() - 1;   // ends at the last span that starts at or before tick
        while (low <= high) {
            int middle = (low + high) >>> 1;
            if (spans.get(middle).onset() <= tick) low = middle + 1;
            else high = middle - 1;
        }
        return high >= 0 && tick < spans.get(high).end() ? Optional.of(spans.get(high)) : Optional.empty();
    }
}
