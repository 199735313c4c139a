package dev.merlai.arranger.grid;

import dev.merlai.music.MeterMap;
import dev.merlai.music.Score;
import dev.merlai.music.TimeSignature;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class MetricGridTest {

    private static final long STEP = MetricGrid.STEP_TICKS;

    @Test
    void aPickupOfAFractionOfABeatStillPutsEveryBeatOnAStepIndexDivisibleByFour() {
        // POP909-like: the first downbeat 770 ticks in (a beat and a half plus a bit), 4/4
        long downbeat = 770;
        MetricGrid grid = MetricGrid.over(new MeterMap(List.of(new TimeSignature(0, 4, 4)), downbeat), 20 * Score.TICKS_PER_QUARTER);

        assertTrue(grid.stepTick(0) <= 0, "the pickup's steps cover the song from its start");
        for (int t = 0; t < grid.steps(); t++) {
            assertEquals(grid.stepTick(0) + t * STEP, grid.stepTick(t), "steps are evenly spaced");
            assertEquals(grid.metricPos(t) % 4 == 0, t % 4 == 0, "step " + t + " at position " + grid.metricPos(t));
        }
        int firstDownbeat = grid.firstStepOfBar(1);
        assertEquals(downbeat, grid.stepTick(firstDownbeat));
        assertEquals(0, grid.metricPos(firstDownbeat));
        assertEquals(15, grid.metricPos(firstDownbeat - 1), "the pickup counts back from the downbeat");
    }

    @Test
    void withoutAPickupTheGridStartsOnTheFirstDownbeat() {
        MetricGrid grid = MetricGrid.over(new MeterMap(List.of(new TimeSignature(0, 3, 4)), 0), 6 * Score.TICKS_PER_QUARTER);
        assertEquals(0, grid.stepTick(0));
        assertEquals(24, grid.steps());
        assertEquals(0, grid.metricPos(12));
    }
}
