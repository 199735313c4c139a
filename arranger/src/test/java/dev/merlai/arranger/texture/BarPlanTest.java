package dev.merlai.arranger.texture;

import dev.merlai.arranger.ArrangeException;
import dev.merlai.arranger.BarRange;
import dev.merlai.arranger.grid.MetricGrid;
import dev.merlai.music.MeterMap;
import dev.merlai.music.Note;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.TimeSignature;
import dev.merlai.music.Track;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BarPlanTest {

    private static final int Q = Score.TICKS_PER_QUARTER;
    private static final Track MELODY = new Track("MELODY", Role.MELODY, 0, 0, List.of(new Note(72, 90, 0, 32 * Q)));
    private static final Score EIGHT_BARS = Score.of(List.of(MELODY));
    private static final MetricGrid GRID = MetricGrid.over(EIGHT_BARS.meter(), EIGHT_BARS.endTick());

    @Test
    void writesTheBarsAskedForAndKeepsTheOthers() throws Exception {
        BarPlan plan = BarPlan.forInput(EIGHT_BARS, GRID, new BarRange(3, 4));
        for (int b = 0; b < 8; b++) assertEquals(b == 2 || b == 3, plan.writes(b), "bar index " + b);
        assertTrue(plan.samples(2));
        assertTrue(plan.writesStep(GRID.firstStepOfBar(3)));
        assertFalse(plan.writesStep(GRID.firstStepOfBar(4)));
        assertEquals("3-4", plan.describe());
    }

    @Test
    void withoutARangeWritesTheBarsThatHaveNoAccompaniment() throws Exception {
        Track piano = new Track("PIANO", Role.PIANO, 0, 1, List.of(new Note(48, 70, 4 * Q, Q), new Note(48, 70, 20 * Q, Q)));
        BarPlan plan = BarPlan.forInput(EIGHT_BARS.withTracks(List.of(MELODY, piano)), GRID, null);
        assertEquals("1, 3-5, 7-8", plan.describe());
    }

    @Test
    void refusesBarsOutsideTheSong() {
        ArrangeException refused = assertThrows(ArrangeException.class, () -> BarPlan.forInput(EIGHT_BARS, GRID, new BarRange(7, 9)));
        assertTrue(refused.getMessage().contains("1-8"), refused.getMessage());
    }

    @Test
    void aCopiedBarIsWrittenButNotSampledAndSaysItsSource() throws Exception {
        BarPlan kept = BarPlan.forInput(EIGHT_BARS, GRID, new BarRange(1, 4));
        BarPlan plan = kept.withCopy(6, 1).withCopy(7, 6);
        assertTrue(plan.writes(6) && plan.writes(7));
        assertFalse(plan.samples(6) || plan.samples(7));
        assertEquals(1, plan.copyOf(6));
        assertEquals(6, plan.copyOf(7));
        assertEquals(-1, plan.copyOf(1));
        assertEquals("1-4, 7-8", plan.describe());
        assertFalse(kept.writes(6), "the plan copied from is unchanged");
    }

    @Test
    void refusesACopyBetweenBarsOfDifferentLengthsOrInACircle() throws Exception {
        Score mixed = new Score(EIGHT_BARS.tempo(), new MeterMap(List.of(new TimeSignature(0, 4, 4), new TimeSignature(16 * Q, 3, 4))),
                List.of(), List.of(), List.of(MELODY));
        MetricGrid grid = MetricGrid.over(mixed.meter(), mixed.endTick());
        BarPlan plan = BarPlan.forInput(mixed, grid, null);
        assertThrows(IllegalArgumentException.class, () -> plan.withCopy(5, 0));
        assertThrows(IllegalArgumentException.class, () -> plan.withCopy(1, 0).withCopy(0, 1));
    }
}
