package dev.merlai.arranger.grid;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Where melody notes start in the bar, learned from POP909 by {@code training/merlai_training/meter_profile.py}
 * ({@code models/merlai-meter.json}): per metre, the probability of a note starting at each 16th of the bar,
 * for short notes and long ones (at least {@code longNoteQuarters}). Kept as log-likelihood ratios against a
 * uniform position.
 */
public record MeterProfile(String version, double longNoteQuarters, List<Metre> metres) {

    /**
     * @param numerator   beats per bar
     * @param denominator beat note value
     * @param shortRatio  log(P(position) * steps) for short notes, one per 16th of the bar
     * @param longRatio   the same for long notes
     */
    public record Metre(int numerator, int denominator, double[] shortRatio, double[] longRatio) {
        public int steps() {
            return shortRatio.length;
        }
    }

    public static MeterProfile read(InputStream in) throws IOException {
        JsonNode root = new ObjectMapper().readTree(in);
        List<Metre> metres = new ArrayList<>();
        for (JsonNode metre : root.path("meters")) {
            metres.add(new Metre(metre.path("numerator").asInt(), metre.path("denominator").asInt(),
                    ratios(metre.path("short")), ratios(metre.path("long"))));
        }
        if (metres.isEmpty()) throw new IOException("the meter profile has no metres");
        return new MeterProfile(root.path("version").asText(), root.path("long_note_quarters").asDouble(1.0), List.copyOf(metres));
    }

    /** The metre whose bar has this many 16ths, or null. */
    public Metre withSteps(int steps) {
        return metres.stream().filter(m -> m.steps() == steps).findFirst().orElse(null);
    }

    private static double[] ratios(JsonNode probabilities) throws IOException {
        double[] ratios = new double[probabilities.size()];
        for (int i = 0; i < ratios.length; i++) {
            double p = probabilities.get(i).asDouble();
            if (!(p > 0)) throw new IOException("meter profile probabilities must be positive");
            ratios[i] = Math.log(p * ratios.length);
        }
        return ratios;
    }
}
