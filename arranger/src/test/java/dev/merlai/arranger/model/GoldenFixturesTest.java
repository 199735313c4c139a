package dev.merlai.arranger.model;

import com.fasterxml.jackson.databind.JsonNode;
import dev.merlai.arranger.Examples;
import dev.merlai.arranger.grid.MetricGrid;
import dev.merlai.music.MeterMap;
import dev.merlai.music.Note;
import dev.merlai.music.TimeSignature;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The golden fixtures that training checks too ({@code testdata/golden}, {@code training/tests/test_golden.py}):
 * the same inputs give the same outputs in serving as in training.
 */
class GoldenFixturesTest {

    @Test
    void chordDecodingPicksTheChordsTrainingPicks() throws Exception {
        JsonNode golden = Examples.golden("chord-decoding.json");
        ChordDecoding decoding = new ChordDecoding(Examples.ints(golden.get("groups")));
        for (JsonNode c : golden.get("cases")) {
            assertArrayEquals(Examples.ints(c.get("chords")), decoding.decode(matrix(c.get("beat_log_probs"))));
        }
    }

    @Test
    void phraseEchoMixesTheBeatsAsTrainingDoes() throws Exception {
        JsonNode golden = Examples.golden("phrase-echo.json");
        JsonNode settings = golden.get("phrase_echo");
        PhraseEcho echo = new PhraseEcho(settings.get("bars").asInt(), settings.get("sung_weight").asDouble(), settings.get("silent_weight").asDouble());
        for (JsonNode c : golden.get("cases")) {
            boolean[] sounding = new boolean[c.get("sounding").size()];
            for (int b = 0; b < sounding.length; b++) sounding[b] = c.get("sounding").get(b).asBoolean();
            double[][] echoed = echo.apply(matrix(c.get("beat_log_probs")), Examples.ints(c.get("bar")), Examples.ints(c.get("beat_in_bar")), sounding);
            double[][] expected = matrix(c.get("echoed"));
            for (int b = 0; b < expected.length; b++) assertArrayEquals(expected[b], echoed[b], 1e-12, "beat " + b);
        }
    }

    @Test
    void melodyFeaturesReadTheMelodyAsTrainingDoes() throws Exception {
        for (JsonNode c : Examples.golden("melody-features.json").get("cases")) {
            int[] barStarts = Examples.ints(c.get("bar_starts"));
            List<TimeSignature> meter = new ArrayList<>();
            for (int b = 0; b + 1 < barStarts.length; b++) {
                meter.add(new TimeSignature(barStarts[b] * MetricGrid.STEP_TICKS, barStarts[b + 1] - barStarts[b], 16));
            }
            int steps = c.get("steps").asInt();
            MetricGrid grid = MetricGrid.over(new MeterMap(meter), steps * MetricGrid.STEP_TICKS);
            List<Note> melody = new ArrayList<>();
            for (JsonNode n : c.get("melody")) {
                int first = n.get(0).asInt(), end = n.get(1).asInt();
                melody.add(new Note(n.get(2).asInt(), 90, first * MetricGrid.STEP_TICKS, (end - first) * MetricGrid.STEP_TICKS));
            }
            MelodyFeatures features = MelodyFeatures.of(melody, grid, 0);
            assertEquals(steps, features.steps());
            assertArrayEquals(longs(c.get("melody_pitch")), features.melodyPitch());
            float[] onset = new float[steps];
            for (int t = 0; t < steps; t++) onset[t] = c.get("melody_onset").get(t).floatValue();
            assertArrayEquals(onset, features.melodyOnset());
            assertArrayEquals(longs(c.get("metric_pos")), features.metricPos());
            assertArrayEquals(longs(c.get("bar_steps")), features.barSteps());
        }
    }

    private static long[] longs(JsonNode array) {
        long[] values = new long[array.size()];
        for (int i = 0; i < values.length; i++) values[i] = array.get(i).asLong();
        return values;
    }

    private static double[][] matrix(JsonNode rows) {
        double[][] values = new double[rows.size()][];
        for (int r = 0; r < values.length; r++) {
            values[r] = new double[rows.get(r).size()];
            for (int c = 0; c < values[r].length; c++) values[r][c] = rows.get(r).get(c).asDouble();
        }
        return values;
    }
}
