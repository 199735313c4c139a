package dev.merlai.arranger;

import java.util.List;

/**
 * How to arrange. The CLI and the API expose exactly these.
 *
 * @param seed        random seed: the same input, options and seed give the same arrangement
 * @param style       arrangement style
 * @param bars        bars to regenerate (keeping everything else), or null to fill every bar without accompaniment
 * @param temperature sampling temperature for the accompaniment, 0.1..2 (1 = as trained; lower is safer)
 * @param density     0 (sparse) .. 1 (busy); 0.5 = the style's typical density
 * @param drums       drum style ({@code pop}, {@code rock}, {@code funk}, ...: the drum model's styles), {@link #NO_DRUMS},
 *                    or null for the style's default (pop plays pop drums, lied none)
 */
public record ArrangeOptions(long seed, Style style, BarRange bars, double temperature, double density, String drums) {

    public static final ArrangeOptions DEFAULT = new ArrangeOptions(1, Style.POP, null, 1.0, 0.5);
    /** The {@code drums} value that turns generated drums off. */
    public static final String NO_DRUMS = "none";
    /** The drum model's styles (the Groove MIDI Dataset's; the shipped model's metadata lists the same, a test checks). */
    public static final List<String> DRUM_STYLES = List.of("pop", "rock", "funk", "hiphop", "jazz", "latin", "afrocuban", "punk",
            "neworleans", "soul", "country", "gospel", "reggae", "afrobeat", "dance", "other");

    /** Options with the style's default drums. */
    public ArrangeOptions(long seed, Style style, BarRange bars, double temperature, double density) {
        this(seed, style, bars, temperature, density, null);
    }

    public ArrangeOptions {
        if (style == null) throw new IllegalArgumentException("style is required");
        if (!(temperature >= 0.1 && temperature <= 2.0)) throw new IllegalArgumentException("temperature must be 0.1..2, was " + temperature);
        if (!(density >= 0 && density <= 1)) throw new IllegalArgumentException("density must be 0..1, was " + density);
        if (drums != null && !drums.equals(NO_DRUMS) && !DRUM_STYLES.contains(drums)) {
            throw new IllegalArgumentException("drums must be none or one of " + String.join(", ", DRUM_STYLES) + "; was '" + drums + "'");
        }
    }

    /** The drum style to play, or null for none. */
    public String drumStyle() {
        if (drums == null) return style == Style.POP ? "pop" : null;
        return drums.equals(NO_DRUMS) ? null : drums;
    }

    public ArrangeOptions withDrums(String newDrums) {
        return new ArrangeOptions(seed, style, bars, temperature, density, newDrums);
    }

    public ArrangeOptions withSeed(long newSeed) {
        return new ArrangeOptions(newSeed, style, bars, temperature, density, drums);
    }

    public ArrangeOptions withStyle(Style newStyle) {
        return new ArrangeOptions(seed, newStyle, bars, temperature, density, drums);
    }

    public ArrangeOptions withBars(BarRange newBars) {
        return new ArrangeOptions(seed, style, newBars, temperature, density, drums);
    }
}
