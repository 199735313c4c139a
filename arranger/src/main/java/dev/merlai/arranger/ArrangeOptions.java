package dev.merlai.arranger;

import dev.merlai.music.ChordSheet;

import java.util.List;

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
 * @param chords      chords given for some bars (over the input's own chord labels there); the model fills the rest
 * @param reharmonize bars whose chords the model chooses anew, other than its first choice (seeded), or null
 * @param drums       drum style ({@code pop}, {@code rock}, {@code funk}, ...: the drum model's styles), {@link #NO_DRUMS},
 *                    or null for the style's default (pop plays pop drums, lied none)
 */
public record ArrangeOptions(long seed, Style style, BarRange bars, double temperature, double density, Double variation, int intro,
                             boolean ending, ChordSheet chords, BarRange reharmonize, String drums) {

    public static final ArrangeOptions DEFAULT = new ArrangeOptions(1, Style.POP, null, 1.0, 0.5);
    /** The most intro bars one may ask for. */
    public static final int MAX_INTRO = 16;
    /** The {@code drums} value that turns generated drums off. */
    public static final String NO_DRUMS = "none";
    /** The drum model's styles (the Groove MIDI Dataset's; the shipped model's metadata lists the same, a test checks). */
    public static final List<String> DRUM_STYLES = List.of("pop", "rock", "funk", "hiphop", "jazz", "latin", "afrocuban", "punk",
            "neworleans", "soul", "country", "gospel", "reggae", "afrobeat", "dance", "other");

    public ArrangeOptions {
        if (style == null) throw new IllegalArgumentException("style is required");
        if (!(temperature >= 0.1 && temperature <= 2.0)) throw new IllegalArgumentException("temperature must be 0.1..2, was " + temperature);
        if (!(density >= 0 && density <= 1)) throw new IllegalArgumentException("density must be 0..1, was " + density);
        if (variation != null && !(variation >= 0 && variation <= 1)) throw new IllegalArgumentException("variation must be 0..1, was " + variation);
        if (intro < 0 || intro > MAX_INTRO) throw new IllegalArgumentException("intro must be 0.." + MAX_INTRO + " bars, was " + intro);
        if (chords == null) throw new IllegalArgumentException("chords must not be null (ChordSheet.EMPTY for none)");
        if (drums != null && !drums.equals(NO_DRUMS) && !DRUM_STYLES.contains(drums)) {
            throw new IllegalArgumentException("drums must be none or one of " + String.join(", ", DRUM_STYLES) + "; was '" + drums + "'");
        }
    }

    /** Options with everything else at its default: the form's variation, no intro, an ending, no given chords, the style's drums. */
    public ArrangeOptions(long seed, Style style, BarRange bars, double temperature, double density) {
        this(seed, style, bars, temperature, density, null, 0, true, ChordSheet.EMPTY, null, null);
    }

    /** The drum style to play, or null for none. */
    public String drumStyle() {
        if (drums == null) return style == Style.POP ? "pop" : null;
        return drums.equals(NO_DRUMS) ? null : drums;
    }

    public ArrangeOptions withSeed(long newSeed) {
        return new ArrangeOptions(newSeed, style, bars, temperature, density, variation, intro, ending, chords, reharmonize, drums);
    }

    public ArrangeOptions withStyle(Style newStyle) {
        return new ArrangeOptions(seed, newStyle, bars, temperature, density, variation, intro, ending, chords, reharmonize, drums);
    }

    public ArrangeOptions withBars(BarRange newBars) {
        return new ArrangeOptions(seed, style, newBars, temperature, density, variation, intro, ending, chords, reharmonize, drums);
    }

    public ArrangeOptions withVariation(Double newVariation) {
        return new ArrangeOptions(seed, style, bars, temperature, density, newVariation, intro, ending, chords, reharmonize, drums);
    }

    public ArrangeOptions withIntro(int newIntro) {
        return new ArrangeOptions(seed, style, bars, temperature, density, variation, newIntro, ending, chords, reharmonize, drums);
    }

    public ArrangeOptions withEnding(boolean newEnding) {
        return new ArrangeOptions(seed, style, bars, temperature, density, variation, intro, newEnding, chords, reharmonize, drums);
    }

    public ArrangeOptions withChords(ChordSheet newChords) {
        return new ArrangeOptions(seed, style, bars, temperature, density, variation, intro, ending, newChords, reharmonize, drums);
    }

    public ArrangeOptions withReharmonize(BarRange newReharmonize) {
        return new ArrangeOptions(seed, style, bars, temperature, density, variation, intro, ending, chords, newReharmonize, drums);
    }

    public ArrangeOptions withDrums(String newDrums) {
        return new ArrangeOptions(seed, style, bars, temperature, density, variation, intro, ending, chords, reharmonize, newDrums);
    }
}
