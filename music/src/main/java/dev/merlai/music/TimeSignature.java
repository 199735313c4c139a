package dev.merlai.music;

/**
 * A time signature that starts a new bar at its tick.
 *
 * @param tick        where it takes effect, in ticks; always the start of a bar
 * @param numerator   beats per bar, 1..64
 * @param denominator the beat's note value: 1, 2, 4, 8, 16, 32, 64 or 128 (a 128th is 15 ticks; MIDI needs it for a
 *                    pickup that is an odd number of 128ths)
 */
public record TimeSignature(long tick, int numerator, int denominator) {

    public TimeSignature {
        if (tick < 0) throw new IllegalArgumentException("time signature tick must be >= 0");
        if (numerator < 1 || numerator > 64) throw new IllegalArgumentException("time signature numerator must be 1..64, was " + numerator);
        if (denominator < 1 || denominator > 128 || Integer.bitCount(denominator) != 1) {
            throw new IllegalArgumentException("time signature denominator must be a power of two 1..128, was " + denominator);
        }
    }

    /** Length of one beat (the denominator's note value), in ticks. */
    public long beatTicks() {
        return Score.TICKS_PER_QUARTER * 4L / denominator;
    }

    /** Length of a full bar, in ticks. */
    public long barTicks() {
        return beatTicks() * numerator;
    }

    @Override
    public String toString() {
        return numerator + "/" + denominator + "@" + tick;
    }
}
