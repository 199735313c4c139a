package dev.merlai.arranger.harmony;

import dev.merlai.arranger.Examples;
import dev.merlai.arranger.form.FormAnalysis;
import dev.merlai.arranger.form.SongForm;
import dev.merlai.arranger.grid.MelodySteps;
import dev.merlai.arranger.grid.MetricGrid;
import dev.merlai.arranger.model.MelodyFeatures;
import dev.merlai.music.Chord;
import dev.merlai.music.ChordSheet;
import dev.merlai.music.ChordSpan;
import dev.merlai.music.Score;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The harmony stage on the shipped chord model: a chord per beat over the whole grid, or the chords given. */
class HarmonizerTest {

    private static final int Q = Score.TICKS_PER_QUARTER;
    private static Harmonizer harmonizer;
    private static Score odeToJoy;
    private static MetricGrid grid;
    private static SongForm form;
    private static MelodyFeatures melody;

    @BeforeAll
    static void loadModels() throws Exception {
        harmonizer = new Harmonizer(Examples.shippedModels());
        odeToJoy = Examples.odeToJoy();
        grid = MetricGrid.over(odeToJoy.meter(), odeToJoy.endTick());
        melody = MelodyFeatures.of(odeToJoy.melody().orElseThrow().notes(), grid, 0);
        form = FormAnalysis.of(grid, new MelodySteps(melody.melodyPitch(), melody.melodyOnset()));
    }


    @Test
    void givenChordsAreKeptAsTheyAreAndTheOtherBeatsFilled() throws Exception {
        List<ChordSpan> given = List.of(new ChordSpan(0, 4 * Q, Chord.parse("C:maj")), new ChordSpan(4 * Q, 4 * Q, Chord.parse("G:maj")));
        List<ChordSpan> chords = harmonizer.harmonize(melody, grid, given, ChordSheet.EMPTY, null, 1, form).spans();
        assertEquals(given, chords.subList(0, 2));
        assertEquals(8 * Q, chords.get(2).onset());
        assertEquals(grid.stepTick(grid.steps() - 1) + MetricGrid.STEP_TICKS, chords.get(chords.size() - 1).end());
    }

    @Test
    void chordsGivenForEveryBeatAreTakenAsTheyAre() throws Exception {
        List<ChordSpan> given = List.of(new ChordSpan(0, grid.stepTick(grid.steps() - 1) + MetricGrid.STEP_TICKS, Chord.parse("F")));
        assertSame(given, harmonizer.harmonize(melody, grid, given, ChordSheet.EMPTY, null, 1, form).spans());
    }

    @Test
    void theModelsChordsChangeOnBeatsAndCoverTheGridWithoutGaps() throws Exception {
        List<ChordSpan> chords = harmonizer.harmonize(melody, grid, List.of(), ChordSheet.EMPTY, null, 1, form).spans();
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

}
