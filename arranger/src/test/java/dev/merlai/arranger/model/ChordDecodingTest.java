package dev.merlai.arranger.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ChordDecodingTest {

    /** A five-chord vocabulary: no chord, then two groups of two chords (say C, C7 | G, G7). */
    private static final int[] GROUPS = {0, 1, 1, 2, 2};
    private static final int C = 1, C7 = 2, G = 3, G7 = 4;

    private static double[] probabilities(double... p) {
        double[] logProbs = new double[p.length];
        for (int c = 0; c < p.length; c++) logProbs[c] = Math.log(p[c]);
        return logProbs;
    }

    @Test
    void eachBeatTakesItsMostProbableChordWhenItLeadsItsGroup() {
        double[][] beats = {probabilities(0.05, 0.6, 0.1, 0.2, 0.05), probabilities(0.05, 0.1, 0.05, 0.2, 0.6)};
        assertArrayEquals(new int[]{C, G7}, new ChordDecoding(GROUPS).decode(beats));
    }

    @Test
    void theGroupIsChosenBeforeTheChord() {
        double[][] beat = {probabilities(0.05, 0.3, 0.3, 0.35, 0.0001)};
        assertArrayEquals(new int[]{C}, new ChordDecoding(GROUPS).decode(beat), "C and C7 together outweigh G alone");
    }

    @Test
    void metadataWithoutGroupsDecodesEachChordAlone() throws IOException {
        double[][] beat = {probabilities(0.05, 0.3, 0.3, 0.35, 0.0001)};
        assertArrayEquals(new int[]{G}, ChordDecoding.read(json("{}"), 5).decode(beat));
        assertArrayEquals(new int[]{C}, ChordDecoding.read(json("{\"chord_groups\":[0,1,1,2,2]}"), 5).decode(beat));
        assertThrows(IOException.class, () -> ChordDecoding.read(json("{\"chord_groups\":[0,1]}"), 5));
    }

    private static JsonNode json(String text) throws IOException {
        return new ObjectMapper().readTree(text);
    }
}
