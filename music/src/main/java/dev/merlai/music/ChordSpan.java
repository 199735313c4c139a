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

    /** The span of {@code spans} (not overlapping) that sounds at {@code tick}, if any. */
    public static Optional<ChordSpan> at(List<ChordSpan> spans, long tick) {
        for (ChordSpan span : spans) if (span.onset() <= tick && tick < span.end()) return Optional.of(span);
        return Optional.empty();
    }
}
