package dev.merlai.music;

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
}
