package dev.merlai.arranger.model;

import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * Lets each beat hear the chord model's answer for the same beat {@code bars} bars earlier and later, from the chord
 * model's metadata ({@code phrase_echo}); training applies the same rule ({@code merlai_training/chord_decoding.py}).
 *
 * <p>Songs repeat their harmony in phrases of 8 bars. Where the melody rests (an interlude, a long held note), the
 * model has little to go on, and the answer a phrase away is better evidence: such a beat's probabilities become
 * the weighted mean of its own and those of its echoes ({@code silentWeight} each). Where the melody sings, its own
 * answer counts most ({@code sungWeight} for each echo).
 *
 * @param bars         distance of the echo in bars (0: no echo)
 * @param sungWeight   weight of each echo where the melody sounds near the beat
 * @param silentWeight weight of each echo where no melody sounds within {@link #SILENCE_BEATS} beats of it
 */
public record PhraseEcho(int bars, double sungWeight, double silentWeight) {

    /** No echo: each beat keeps its own answer (metadata without {@code phrase_echo}). */
    public static final PhraseEcho NONE = new PhraseEcho(0, 0, 0);
    /** A beat is silent when no melody note sounds in it nor in this many beats before and after it. */
    public static final int SILENCE_BEATS = 2;

    static PhraseEcho read(JsonNode root) throws IOException {
        JsonNode echo = root.path("phrase_echo");
        if (echo.isMissingNode()) return NONE;
        int bars = echo.path("bars").asInt(-1);
        double sung = echo.path("sung_weight").asDouble(-1);
        double silent = echo.path("silent_weight").asDouble(-1);
        if (bars < 0 || sung < 0 || silent < 0) {
            throw new IOException("phrase_echo needs bars, sung_weight and silent_weight, none negative");
        }
        return new PhraseEcho(bars, sung, silent);
    }

    /**
     * @param beatLogProbs per beat, the log-probability of each chord class
     * @param bar          per beat, the index of its bar
     * @param beatInBar    per beat, its position in the bar (0 = downbeat)
     * @param sounding     per beat, whether a melody note sounds in it
     * @return per beat, the log of the weighted mean of its probabilities and its echoes'
     */
    public double[][] apply(double[][] beatLogProbs, int[] bar, int[] beatInBar, boolean[] sounding) {
        if (bars == 0) return beatLogProbs;
        int beats = beatLogProbs.length;
        Map<Long, Integer> beatAt = new HashMap<>();
        double[][] probs = new double[beats][];
        for (int b = 0; b < beats; b++) {
            beatAt.put(key(bar[b], beatInBar[b]), b);
            probs[b] = new double[beatLogProbs[b].length];
            for (int c = 0; c < probs[b].length; c++) probs[b][c] = Math.exp(beatLogProbs[b][c]);
        }
        double[][] result = new double[beats][];
        for (int b = 0; b < beats; b++) {
            double weight = silent(sounding, b) ? silentWeight : sungWeight;
            double[] mixed = probs[b].clone();
            double total = 1;
            for (int direction : new int[] {-1, 1}) {
                Integer echo = beatAt.get(key(bar[b] + direction * bars, beatInBar[b]));
                if (echo == null || weight == 0) continue;
                for (int c = 0; c < mixed.length; c++) mixed[c] += weight * probs[echo][c];
                total += weight;
            }
            for (int c = 0; c < mixed.length; c++) mixed[c] = Math.log(mixed[c] / total);
            result[b] = mixed;
        }
        return result;
    }

    private static boolean silent(boolean[] sounding, int beat) {
        for (int b = Math.max(0, beat - SILENCE_BEATS); b <= Math.min(sounding.length - 1, beat + SILENCE_BEATS); b++) {
            if (sounding[b]) return false;
        }
        return true;
    }

    private static long key(int bar, int beatInBar) {
        return ((long) bar << 16) | beatInBar;
    }
}
