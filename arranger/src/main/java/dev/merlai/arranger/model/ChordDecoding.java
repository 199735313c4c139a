package dev.merlai.arranger.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.Arrays;

/**
 * How the chord model's answers become one chord per beat, from the chord model's metadata ({@code chord_groups});
 * training decodes the same way ({@code merlai_training/chord_decoding.py}).
 *
 * <p>A beat's score for a chord is the mean log-probability over the beat's steps. The root + maj/min group (what a
 * listener hears as the harmony) is chosen first, by the summed probability of its chords; then the most probable
 * chord inside it. Nine chords share the probability of, say, C major (C, C7, Cmaj7, Csus2, ...): the single most
 * probable chord can belong to a group that is less probable as a whole.
 *
 */
public final class ChordDecoding {

    private final int[] groups;
    private final int groupCount;

    /** @param groups group of each chord class (0 for no chord, then root + maj/min) */
    public ChordDecoding(int[] groups) {
        this.groups = groups.clone();
        this.groupCount = Arrays.stream(groups).max().orElse(-1) + 1;
    }

    /** Metadata without {@code chord_groups} (models before 1.2.0): every chord is its own group. */
    static ChordDecoding read(JsonNode root, int classes) throws IOException {
        int[] groups = new int[classes];
        JsonNode given = root.path("chord_groups");
        if (given.isMissingNode()) {
            for (int c = 0; c < classes; c++) groups[c] = c;
        } else if (given.size() != classes) {
            throw new IOException("chord_groups must name a group for each of the " + classes + " chord classes");
        } else {
            for (int c = 0; c < classes; c++) groups[c] = given.get(c).asInt();
        }
        return new ChordDecoding(groups);
    }

    /**
     * @param beatLogProbs per beat, the mean log-probability of each chord class over the beat's steps
     * @return the chord class of each beat
     */
    public int[] decode(double[][] beatLogProbs) {
        int[] chords = new int[beatLogProbs.length];
        for (int t = 0; t < beatLogProbs.length; t++) {
            double[] mass = groupLogProbs(beatLogProbs[t]);
            int group = 0;
            for (int g = 1; g < groupCount; g++) if (mass[g] > mass[group]) group = g;
            chords[t] = bestInGroup(beatLogProbs[t], group);
        }
        return chords;
    }

    /** The log of each group's summed probability, normalised over the groups. */
    public double[] groupLogProbs(double[] logProbs) {
        double top = Double.NEGATIVE_INFINITY;
        for (double v : logProbs) top = Math.max(top, v);
        double[] mass = new double[groupCount];
        for (int c = 0; c < logProbs.length; c++) mass[groups[c]] += Math.exp(logProbs[c] - top);
        double total = Arrays.stream(mass).sum();
        for (int g = 0; g < groupCount; g++) mass[g] = Math.log(mass[g] / total);
        return mass;
    }

    /** The most probable chord class of a group. */
    public int bestInGroup(double[] logProbs, int group) {
        int best = -1;
        for (int c = 0; c < logProbs.length; c++) {
            if (groups[c] == group && (best < 0 || logProbs[c] > logProbs[best])) best = c;
        }
        return best;
    }

    public int groupOf(int chordClass) {
        return groups[chordClass];
    }
}
