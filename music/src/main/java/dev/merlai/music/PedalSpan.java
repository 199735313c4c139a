package dev.merlai.music;

/**
 * A span during which the sustain pedal (MIDI CC 64) is held.
 *
 * @param onset    pedal down, in ticks
 * @param duration ticks until pedal up, at least 1
 */
public record PedalSpan(long onset, long duration) {
    public PedalSpan {
        if (onset < 0 || duration < 1) throw new IllegalArgumentException("pedal span needs onset >= 0 and duration >= 1");
    }

    public long end() {
        return onset + duration;
    }
}
