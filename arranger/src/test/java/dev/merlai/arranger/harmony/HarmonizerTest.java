package dev.merlai.arranger.harmony;

import dev.merlai.arranger.Examples;
import dev.merlai.arranger.grid.MetricGrid;
import dev.merlai.arranger.model.ArrangementModels;
import dev.merlai.arranger.model.MelodyFeatures;
import dev.merlai.music.Chord;
import dev.merlai.music.ChordSpan;
import dev.merlai.music.Score;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The harmony stage on the shipped chord model: a chord per beat over the whole grid, or the chords given. */
class HarmonizerTest {

    private static final int Q = Score.TICKS_PER_QUARTER;
    private static ArrangementModels models;
    private static Harmonizer harmonizer;
    private static Score odeToJoy;
    private static MetricGrid grid;
    private static MelodyFeatures melody;

    @BeforeAll
    static void loadModels() throws Exception {
        models = ArrangementModels.loadShipped(2);
        harmonizer = new Harmonizer(models);
        odeToJoy = Examples.odeToJoy();
        grid = MetricGrid.over(odeToJoy.meter(), odeToJoy.endTick());
        melody = MelodyFeatures.of(odeToJoy.melody().orElseThrow().notes(), grid, 0);
    }

    @AfterAll
    static void closeModels() {
        models.close();
    }

    @Test
    void givenChordsAreFollowedAsTheyAre() {
        List<ChordSpan> given = List.of(new ChordSpan(0, 4 * Q, Chord.parse("C:maj")), new ChordSpan(4 * Q, 4 * Q, Chord.parse("G:maj")));
        assertSame(given, harmonizer.harmonize(melody, grid, given));
    }

    @Test
    void theModelsChordsChangeOnBeatsAndCoverTheGridWithoutGaps() {
        List<ChordSpan> chords = harmonizer.harmonize(melody, grid, List.of());
        assertTrue(chords.size() > 1, chords.toString());
        long expectedOnset = 0;
        for (int i = 0; i < chords.size(); i++) {
            ChordSpan span = chords.get(i);
            assertEquals(expectedOnset, span.onset(), "span " + i + " of " + chords);
            assertEquals(0, span.onset() % Q, "on a beat: " + span);
            if (i > 0) assertTrue(!span.chord().equals(chords.get(i - 1).chord()), "a span per chord change: " + chords);
            expectedOnset = span.end();
        }
        assertEquals(grid.stepTick(grid.steps() - 1) + MetricGrid.STEP_TICKS, expectedOnset, "the last chord lasts to the grid's end");
    }

    @Test
    void transposingAChordClassMovesItsRootAndKeepsItsQuality() {
        List<String> vocabulary = models.chordsMetadata().chordVocabulary();
        assertEquals(0, Harmonizer.transposedClass(0, 5), "N stays N");
        for (int c = 1; c < vocabulary.size(); c++) {
            Chord chord = Chord.parse(vocabulary.get(c));
            Chord up = Chord.parse(vocabulary.get(Harmonizer.transposedClass(c, 2)));
            assertEquals((chord.root() + 2) % 12, up.root(), vocabulary.get(c));
            assertEquals(chord.quality(), up.quality(), vocabulary.get(c));
            assertEquals(c, Harmonizer.transposedClass(Harmonizer.transposedClass(c, -7), 7));
        }
    }
}
