package dev.merlai.arranger.form;

import com.fasterxml.jackson.databind.JsonNode;
import dev.merlai.arranger.model.ModelMetadata;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * How POP909's arrangers follow the form, measured on its training songs by {@code training/merlai_training/form_stats.py}
 * ({@code form-statistics.json} beside this class).
 *
 * @param variation           1 - the mean Jaccard similarity of the accompaniment of two bars with the same melody:
 *                            the share of a repeated bar's accompaniment arrangers change, the default {@code variation}
 * @param densityByOccurrence the accompaniment's density the n-th time a bar's melody is heard (the last entry for
 *                            every later time), relative to the song's mean
 * @param densityRest         the same for bars where the melody rests between its first and last note
 */
public record FormStatistics(double variation, double[] densityByOccurrence, double densityRest) {

    private static final String RESOURCE = "form-statistics.json";

    /** The shipped statistics. */
    public static FormStatistics shipped() {
        try (InputStream in = FormStatistics.class.getResourceAsStream(RESOURCE)) {
            if (in == null) throw new IllegalStateException(RESOURCE + " is missing from the arranger's resources");
            JsonNode root = ModelMetadata.tree(in);
            JsonNode occurrence = root.path("density_by_occurrence");
            double[] density = new double[occurrence.size()];
            for (int i = 0; i < density.length; i++) density[i] = occurrence.get(i).asDouble();
            if (density.length == 0 || !root.has("variation") || !root.has("density_rest")) {
                throw new IllegalStateException(RESOURCE + " needs variation, density_by_occurrence and density_rest");
            }
            return new FormStatistics(root.path("variation").asDouble(), density, root.path("density_rest").asDouble());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The accompaniment's density in a bar relative to the song's mean: by how often its melody has been heard
     * (0: a bar where the melody rests).
     */
    public double density(int occurrence) {
        if (occurrence == 0) return densityRest;
        return densityByOccurrence[Math.min(occurrence, densityByOccurrence.length) - 1];
    }
}
