package dev.merlai.arranger;

/**
 * How to arrange. The CLI and the API expose exactly these.
 *
 * @param seed        random seed: the same input, options and seed give the same arrangement
 * @param style       arrangement style
 * @param bars        bars to regenerate (keeping everything else), or null to fill every bar without accompaniment
 * @param temperature sampling temperature for the accompaniment, 0.1..2 (1 = as trained; lower is safer)
 * @param density     0 (sparse) .. 1 (busy); 0.5 = the style's typical density
 */
public record ArrangeOptions(long seed, Style style, BarRange bars, double temperature, double density) {

    public static final ArrangeOptions DEFAULT = new ArrangeOptions(1, Style.POP, null, 1.0, 0.5);

    public ArrangeOptions {
        if (style == null) throw new IllegalArgumentException("style is required");
        if (!(temperature >= 0.1 && temperature <= 2.0)) throw new IllegalArgumentException("temperature must be 0.1..2, was " + temperature);
        if (!(density >= 0 && density <= 1)) throw new IllegalArgumentException("density must be 0..1, was " + density);
    }

    public ArrangeOptions withSeed(long newSeed) {
        return new ArrangeOptions(newSeed, style, bars, temperature, density);
    }

    public ArrangeOptions withStyle(Style newStyle) {
        return new ArrangeOptions(seed, newStyle, bars, temperature, density);
    }

    public ArrangeOptions withBars(BarRange newBars) {
        return new ArrangeOptions(seed, style, newBars, temperature, density);
    }
}
