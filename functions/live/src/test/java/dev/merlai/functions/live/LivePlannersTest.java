package dev.merlai.functions.live;

import dev.merlai.arranger.ArrangeOptions;
import dev.merlai.arranger.Arranger;
import dev.merlai.arranger.live.LiveEngine;
import dev.merlai.arranger.live.LiveSettings;
import dev.merlai.arranger.model.ArrangementModels;
import dev.merlai.music.MeterMap;
import dev.merlai.music.Score;
import org.junit.jupiter.api.Test;

import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The planners at shutdown, with the real engine and models: a plan running when they stop is computed to its end
 * before stop returns (the models close after it), a plan still queued is dropped, and no plan is taken after.
 */
class LivePlannersTest {

    /** A plan of a session that has heard two bars of melody. */
    private static LiveEngine.Plan plan(Arranger arranger) {
        LiveEngine engine = new LiveEngine(arranger, LiveSettings.of(120, MeterMap.of(4, 4), ArrangeOptions.DEFAULT));
        long beat = Score.TICKS_PER_QUARTER;
        int[] tune = {64, 64, 65, 67, 67, 65, 64, 62};
        for (int i = 0; i < tune.length; i++) {
            engine.noteOn(i * beat, tune[i], 90);
            engine.noteOff((i + 1) * beat - 10, tune[i]);
        }
        return engine.planDue(tune.length * beat);
    }

    @Test
    void stopWaitsForTheRunningPlanDropsTheQueuedOnesAndTakesNoMore() throws Exception {
        try (ArrangementModels models = ArrangementModels.load(Optional.empty(), 1, false)) {
            Arranger arranger = new Arranger(models);
            LivePlanners planners = new LivePlanners(1);
            CountDownLatch running = new CountDownLatch(1);
            LiveEngine.Plan first = plan(arranger), second = plan(arranger);
            Future<LiveEngine.Plan> computing = planners.submit(() -> {
                running.countDown();
                first.compute();
                return first;
            });
            Future<LiveEngine.Plan> queued = planners.submit(() -> {
                second.compute();
                return second;
            });
            running.await();

            planners.stop();

            assertTrue(computing.isDone() && !computing.isCancelled(), "the running plan was waited for");
            assertNotNull(computing.get(), "and computed to its end with the models still open");
            assertTrue(queued.isCancelled(), "a queued plan is dropped");
            assertThrows(RejectedExecutionException.class, () -> planners.submit(() -> null), "no plan after stop");
        }
    }
}
