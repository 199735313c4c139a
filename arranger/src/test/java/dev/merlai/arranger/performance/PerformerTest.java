package dev.merlai.arranger.performance;

import dev.merlai.arranger.grid.MetricGrid;
import dev.merlai.arranger.roll.StepNote;
import dev.merlai.music.MeterMap;
import dev.merlai.music.Note;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.TimeSignature;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PerformerTest {

    private static final int Q = Score.TICKS_PER_QUARTER;
    private static final long S = MetricGrid.STEP_TICKS;
    private static final MetricGrid FOUR_FOUR = MetricGrid.over(MeterMap.of(4, 4), 8 * Q);

    @Test
    void downbeatsAreLouderThanBeatsAndBeatsLouderThanTheStepsBetween() {
        List<Note> played = Performer.play(Role.PIANO, List.of(new StepNote(60, 0, 4), new StepNote(62, 4, 6), new StepNote(64, 6, 7)), FOUR_FOUR);
        assertEquals(List.of(new Note(60, 72, 0, 4 * S), new Note(62, 67, 4 * S, 2 * S), new Note(64, 62, 6 * S, S)), played);
    }

    @Test
    void theCounterMelodyPlaysAboveThePiano() {
        assertEquals(78, Performer.play(Role.COUNTER_MELODY, List.of(new StepNote(72, 16, 18)), FOUR_FOUR).get(0).velocity());
    }

    @Test
    void aPickupNoteThatBeginsBeforeTheSongStartsWithIt() {
        // a pickup of one and a half beats: its steps are laid from the beat before, two steps before tick 0
        MetricGrid pickup = MetricGrid.over(new MeterMap(List.of(new TimeSignature(0, 4, 4)), 3 * Q / 2), 8 * Q);
        long firstTick = pickup.stepTick(0);
        assertEquals(-2 * S, firstTick);
        List<Note> played = Performer.play(Role.PIANO, List.of(new StepNote(60, 0, 4), new StepNote(62, 0, 1)), pickup);
        assertEquals(List.of(new Note(60, 67, 0, 2 * S)), played, "clipped at tick 0; a note wholly before it is dropped");
    }
}
