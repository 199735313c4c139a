package dev.merlai.arranger;

/**
 * How to arrange. The CLI and the API expose exactly these.
 *
 * @param seed        random seed: the same input, options and seed give the same arrangement
 * @param style       arrangement style
 * @param bars        bars to regenerate (keeping everything else), or null to fill every bar without accompaniment
 * @param temperature sampling temperature for the accompaniment, 0.1..2 (1 = as trained; lower is safer)
 * @param density     0 (sparse) .. 1 (busy); 0.5 = the style's typical density
 * @param variation   where the melody repeats a bar, how much its accompaniment may differ from the earlier bar's:
 *                    at least 1 - variation alike (Jaccard), 0 repeats exactly, 1 invents each time; null for as
 *                    alike as POP909's arrangers make them
 * @param intro       bars of intro to put before the melody, moving the whole song that many bars later; 0 keeps
 *                    the melody where it is (empty bars before it are still filled)
 * @param ending      whether to end with an ending after the last melody note (false for a loop)
 */
public record ArrangeOptions(long seed, Style style, BarRange bars, double temperature, double density, Double variation, int intro,
                             boolean ending) {

    public static final ArrangeOptions DEFAULT = new ArrangeOptions(1, Style.POP, null, 1.0, 0.5, null, 0, true);
    /** The most intro bars one may ask for. */
    public static final int MAX_INTRO = 16;

    public ArrangeOptions {
        if (style == null) throw new IllegalArgumentException("style is required");
        if (!(temperature >= 0.1 && temperature <= 2.0)) throw new IllegalArgumentException("temperature must be 0.1..2, was " + temperature);
        if (!(density >= 0 && density <= 1)) throw new IllegalArgumentException("density must be 0..1, was " + density);
        if (variation != null && !(variation >= 0 && variation <= 1)) throw new IllegalArgumentException("variation must be 0..1, was " + variation);
        if (intro < 0 || intro > MAX_INTRO) throw new IllegalArgumentException("intro must be 0.." + MAX_INTRO + " bars, was " + intro);
    }

    public ArrangeOptions withSeed(long newSeed) {
        return new ArrangeOptions(newSeed, style, bars, temperature, density, variation, intro, ending);
    }

    public ArrangeOptions withStyle(Style newStyle) {
        return new ArrangeOptions(seed, newStyle, bars, temperature, density, variation, intro, ending);
    }

    public ArrangeOptions withBars(BarRange newBars) {
        return new ArrangeOptions(seed, style, newBars, temperature, density, variation, intro, ending);
    }

    public ArrangeOptions withVariation(Double newVariation) {
        return new ArrangeOptions(seed, style, bars, temperature, density, newVariation, intro, ending);
    }

    public ArrangeOptions withIntro(int newIntro) {
        return new ArrangeOptions(seed, style, bars, temperature, density, variation, newIntro, ending);
    }

    public ArrangeOptions withEnding(boolean newEnding) {
        return new ArrangeOptions(seed, style, bars, temperature, density, variation, intro, newEnding);
    }
}
