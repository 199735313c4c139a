package dev.merlai.arranger;

import dev.merlai.music.ChordSheet;

/**
 * How to arrange. The CLI and the API expose exactly these.
 *
 * @param seed        random seed: the same input, options and seed give the same arrangement
 * @param style       arrangement style
 * @param bars        bars to regenerate (keeping everything else), or null to fill every bar without accompaniment
 * @param temperature sampling temperature for the accompaniment, 0.1..2 (1 = as trained; lower is safer)
 * @param density     0 (sparse) .. 1 (busy); 0.5 = the style's typical density
 * @param chords      chords given for some bars (over the input's own chord labels there); the model fills the rest
 * @param reharmonize bars whose chords the model chooses anew, other than its first choice (seeded), or null
 */
public record ArrangeOptions(long seed, Style style, BarRange bars, double temperature, double density, ChordSheet chords,
                             BarRange reharmonize) {

    public static final ArrangeOptions DEFAULT = new ArrangeOptions(1, Style.POP, null, 1.0, 0.5);

    public ArrangeOptions {
        if (style == null) throw new IllegalArgumentException("style is required");
        if (!(temperature >= 0.1 && temperature <= 2.0)) throw new IllegalArgumentException("temperature must be 0.1..2, was " + temperature);
        if (!(density >= 0 && density <= 1)) throw new IllegalArgumentException("density must be 0..1, was " + density);
        if (chords == null) throw new IllegalArgumentException("chords must not be null (ChordSheet.EMPTY for none)");
    }

    /** Options without given chords and without reharmonizing. */
    public ArrangeOptions(long seed, Style style, BarRange bars, double temperature, double density) {
        this(seed, style, bars, temperature, density, ChordSheet.EMPTY, null);
    }

    public ArrangeOptions withSeed(long newSeed) {
        return new ArrangeOptions(newSeed, style, bars, temperature, density, chords, reharmonize);
    }

    public ArrangeOptions withStyle(Style newStyle) {
        return new ArrangeOptions(seed, newStyle, bars, temperature, density, chords, reharmonize);
    }

    public ArrangeOptions withBars(BarRange newBars) {
        return new ArrangeOptions(seed, style, newBars, temperature, density, chords, reharmonize);
    }

    public ArrangeOptions withChords(ChordSheet newChords) {
        return new ArrangeOptions(seed, style, bars, temperature, density, newChords, reharmonize);
    }

    public ArrangeOptions withReharmonize(BarRange newReharmonize) {
        return new ArrangeOptions(seed, style, bars, temperature, density, chords, newReharmonize);
    }
}
