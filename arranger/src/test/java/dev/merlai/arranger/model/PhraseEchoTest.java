package dev.merlai.arranger.model;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.io.IOException;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

class PhraseEchoTest {

    /** Two chords (say C, G); one beat per bar, so beat b is bar b. */
    private static final double[] SURE_C = {Math.log(0.9), Math.log(0.1)};
    private static final double[] SURE_G = {Math.log(0.1), Math.log(0.9)};
    private static final double[] LIKELY_G = {Math.log(0.3), Math.log(0.7)};
    private static final PhraseEcho ECHO = new PhraseEcho(8, 0.1, 1.0);

    /** 17 one-beat bars: bar 0 and bar 16 given, bar 8 in the middle; `sung` lists the bars whose beat has melody. */
    private static double[][] apply(PhraseEcho echo, double[] first, double[] middle, double[] last, int... sung) {
        int beats = 17;
        double[][] logProbs = new double[beats][];
        int[] bar = new int[beats];
        int[] beatInBar = new int[beats];
        boolean[] sounding = new boolean[beats];
        for (int b = 0; b < beats; b++) {
            logProbs[b] = new double[] {Math.log(0.5), Math.log(0.5)};
            bar[b] = b;
        }
        logProbs[0] = first;
        logProbs[8] = middle;
        logProbs[16] = last;
        for (int b : sung) sounding[b] = true;
        return echo.apply(logProbs, bar, beatInBar, sounding);
    }

    @Test
    void aBeatWhereTheMelodyRestsTakesTheHarmonyOfThePhrasesAroundIt() {
        double[][] result = apply(ECHO, SURE_C, LIKELY_G, SURE_C);
        assertEquals((0.3 + 0.9 + 0.9) / 3, Math.exp(result[8][0]), 1e-9);
        assertEquals(0, argmax(result[8]), "in silence, two sure C phrases outweigh a likely G");
    }

    @Test
    void aBeatWhereTheMelodySingsMostlyKeepsItsOwnAnswer() {
        double[][] result = apply(ECHO, SURE_C, LIKELY_G, SURE_C, 7);
        assertEquals((0.3 + 0.1 * 0.9 * 2) / 1.2, Math.exp(result[8][0]), 1e-9);
        assertEquals(1, argmax(result[8]), "melody two beats before the beat makes it sung");
    }

    @Test
    void aBeatNearTheSongsEdgeHearsTheOneEchoItHas() {
        double[][] result = apply(ECHO, SURE_G, SURE_C, SURE_G);
        assertEquals(Math.log((0.1 + 0.9) / 2), result[0][0], 1e-9, "bar 0 has only bar 8 for an echo");
    }

    @Test
    void withoutPhraseEchoInTheMetadataEachBeatKeepsItsOwnAnswer() throws IOException {
        assertSame(PhraseEcho.NONE, PhraseEcho.read(new ObjectMapper().readTree("{}")));
        double[][] result = apply(PhraseEcho.NONE, SURE_C, LIKELY_G, SURE_C);
        assertArrayEquals(LIKELY_G, result[8]);
        assertEquals(ECHO, PhraseEcho.read(new ObjectMapper().readTree(
                "{\"phrase_echo\":{\"bars\":8,\"sung_weight\":0.1,\"silent_weight\":1.0}}")));
        assertThrows(IOException.class, () -> PhraseEcho.read(new ObjectMapper().readTree("{\"phrase_echo\":{\"bars\":8}}")));
    }

    private static int argmax(double[] values) {
        return values[0] >= values[1] ? 0 : 1;
    }
}
