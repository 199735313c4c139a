package dev.merlai.arranger;

import dev.merlai.music.ChordSheet;

import java.util.List;
import java.util.function.Consumer;

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
 * @param humanize    0..1: how much of the learned feel the generated parts get; 0 = on the 16th grid at even velocities,
 *                    1 = the velocities and micro-timing as POP909's players play (between: offsets and velocity deviations scaled)
 */
public record ArrangeOptions(long seed, Style style, BarRange bars, double temperature, double density, Double variation, int intro,
                             boolean ending, ChordSheet chords, BarRange reharmonize, String drums, double humanize) {

    /** Seed 1, pop, every empty bar, as trained, the style's density and drums, the form's variation, no intro, an ending, full feel. */
    public static final ArrangeOptions DEFAULT = new Builder().build();
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
        if (!(humanize >= 0 && humanize <= 1)) throw new IllegalArgumentException("humanize must be 0..1, was " + humanize);
    }

    /** These options with some changed: {@code DEFAULT.with(o -> o.seed(2).bars(range))}. */
    public ArrangeOptions with(Consumer<Builder> change) {
        Builder builder = new Builder(this);
        change.accept(builder);
        return builder.build();
    }

    /** The drum style to play, or null for none. */
    public String drumStyle() {
        if (drums == null) return style == Style.POP ? "pop" : null;
        return drums.equals(NO_DRUMS) ? null : drums;
    }

    /** Options built field by field, from {@link #DEFAULT}'s values or another's ({@link #with}); checked when built. */
    public static final class Builder {
        private long seed = 1;
        private Style style = Style.POP;
        private BarRange bars;
        private double temperature = 1.0;
        private double density = 0.5;
        private Double variation;
        private int intro;
        private boolean ending = true;
        private ChordSheet chords = ChordSheet.EMPTY;
        private BarRange reharmonize;
        private String drums;
        private double humanize = 1.0;

        public Builder() {
        }

        private Builder(ArrangeOptions from) {
            seed = from.seed;
            style = from.style;
            bars = from.bars;
            temperature = from.temperature;
            density = from.density;
            variation = from.variation;
            intro = from.intro;
            ending = from.ending;
            chords = from.chords;
            reharmonize = from.reharmonize;
            drums = from.drums;
            humanize = from.humanize;
        }

        public Builder seed(long value) {
            seed = value;
            return this;
        }

        public Builder style(Style value) {
            style = value;
            return this;
        }

        public Builder bars(BarRange value) {
            bars = value;
            return this;
        }

        public Builder temperature(double value) {
            temperature = value;
            return this;
        }

        public Builder density(double value) {
            density = value;
            return this;
        }

        public Builder variation(Double value) {
            variation = value;
            return this;
        }

        public Builder intro(int value) {
            intro = value;
            return this;
        }

        public Builder ending(boolean value) {
            ending = value;
            return this;
        }

        public Builder chords(ChordSheet value) {
            chords = value;
            return this;
        }

        public Builder reharmonize(BarRange value) {
            reharmonize = value;
            return this;
        }

        public Builder drums(String value) {
            drums = value;
            return this;
        }

        public Builder humanize(double value) {
            humanize = value;
            return this;
        }

        public ArrangeOptions build() {
            return new ArrangeOptions(seed, style, bars, temperature, density, variation, intro, ending, chords, reharmonize, drums, humanize);
        }
    }
}
