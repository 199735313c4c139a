package dev.merlai.arranger;

/**
 * Bars to (re)generate, 1-based and inclusive, as in {@code --bars 5-8}; bar 0 is a pickup.
 *
 * @param first first bar number
 * @param last  last bar number, >= first
 */
public record BarRange(int first, int last) {

    public BarRange {
        if (first < 0 || last < first) throw new IllegalArgumentException("bars must be A-B with 0 <= A <= B, was " + first + "-" + last);
    }

    /** Parses {@code A-B} or a single bar {@code A}. */
    public static BarRange parse(String text) {
        String trimmed = text.trim();
        try {
            int dash = trimmed.indexOf('-', 1);
            if (dash < 0) {
                int bar = Integer.parseInt(trimmed);
                return new BarRange(bar, bar);
            }
            return new BarRange(Integer.parseInt(trimmed.substring(0, dash).trim()), Integer.parseInt(trimmed.substring(dash + 1).trim()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bars must look like 5-8, was '" + text + "'");
        }
    }

    public boolean contains(int bar) {
        return bar >= first && bar <= last;
    }

    @Override
    public String toString() {
        return first + "-" + last;
    }
}
