package dev.merlai.music;

/**
 * One bar of the meter map.
 *
 * @param number        bar number, 1-based; 0 for a pickup
 * @param start         first tick of the bar
 * @param length        length in ticks
 * @param timeSignature the time signature in force
 */
public record Bar(int number, long start, long length, TimeSignature timeSignature) {

    public long end() {
        return start + length;
    }

    public boolean contains(long tick) {
        return tick >= start && tick < end();
    }
}
