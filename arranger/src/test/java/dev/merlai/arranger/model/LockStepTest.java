package dev.merlai.arranger.model;

import dev.merlai.arranger.Examples;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * Songs in lock-step: a model call waits until every song waits, then each model's calls are answered by one batched
 * call, and a row of the drum or dynamics model's batch is bit for bit what it gets asked alone.
 */
class LockStepTest {

    private static ArrangementModels models;

    @BeforeAll
    static void loadModels() throws Exception {
        models = Examples.shippedModels();
    }

    @Test
    void theDrumModelAnswersEveryStyleMeterAndFillInOneBatchAsItAnswersEachAlone() throws Exception {
        DrumModel drums = models.drums();
        List<DrumModel.BarInput> bars = new ArrayList<>();
        SplittableRandom random = new SplittableRandom(3);
        for (int style = 0; style < drums.styles().size(); style++) {
            for (int meter = 0; meter < drums.meters().size(); meter++) {
                float[] hits = new float[DrumModel.STEPS * DrumModel.INSTRUMENTS];
                float[] velocity = new float[hits.length];
                for (int i = 0; i < hits.length; i++) if (random.nextDouble() < 0.2) { hits[i] = 1; velocity[i] = (float) random.nextDouble(); }
                bars.add(new DrumModel.BarInput(hits, velocity, style, meter, (float) random.nextDouble(-1, 1), random.nextBoolean(),
                        drums.energy(drums.styles().get(style), random.nextDouble())));
            }
        }
        List<float[]> alone = new ArrayList<>();
        try (DrumModel.Session session = drums.session()) {
            for (DrumModel.BarInput bar : bars) alone.add(session.predict(bar).params());
        }

        LockStep lockStep = new LockStep();
        DrumModel inStep = drums.inStep(lockStep);
        List<float[]> together = inLockStep(lockStep, bars.stream().<Callable<float[]>>map(bar -> () -> {
            try (DrumModel.Session session = inStep.session()) {
                return session.predict(bar).params();
            }
        }).toList());

        assertEquals(1, lockStep.batches(), "one batched call for all " + bars.size() + " songs' bars");
        for (int i = 0; i < bars.size(); i++) assertArrayEquals(alone.get(i), together.get(i), "bar " + i);
    }

    @Test
    void theDynamicsModelAnswersPartsOfManySongsInOneBatchAsItAnswersEachAlone() throws Exception {
        DynamicsModel dynamics = models.dynamics();
        SplittableRandom random = new SplittableRandom(5);
        List<float[][]> parts = new ArrayList<>();
        for (int notes : new int[]{1, 7, 40, 3, 120}) {
            float[][] rows = new float[notes][DynamicsModel.FEATURES.size()];
            for (float[] row : rows) for (int f = 0; f < row.length; f++) row[f] = random.nextDouble() < 0.5 ? 0 : (float) random.nextDouble(-2, 2);
            parts.add(rows);
        }
        List<float[]> alone = parts.stream().map(part -> dynamics.predict(part).params()).toList();

        LockStep lockStep = new LockStep();
        DynamicsModel inStep = dynamics.inStep(lockStep);
        List<float[]> together = inLockStep(lockStep, parts.stream().<Callable<float[]>>map(part -> () -> inStep.predict(part).params()).toList());

        assertEquals(1, lockStep.batches());
        assertEquals(parts.size(), lockStep.calls());
        for (int i = 0; i < parts.size(); i++) assertArrayEquals(alone.get(i), together.get(i), "part " + i);
    }

    @Test
    void aFailedBatchIsTheFailureOfEverySongInIt() throws Exception {
        LockStep lockStep = new LockStep();
        IllegalStateException broken = new IllegalStateException("the model failed");
        List<Callable<Object>> songs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int input = i;
            songs.add(() -> {
                try {
                    return lockStep.call("model", inputs -> { throw broken; }, input);
                } catch (IllegalStateException e) {
                    return e;
                }
            });
        }
        for (Object answer : inLockStep(lockStep, songs)) assertSame(broken, answer);
    }

    /** Each task on its own thread as one song of a lock-step. */
    private static <T> List<T> inLockStep(LockStep lockStep, List<Callable<T>> songs) throws Exception {
        for (int i = 0; i < songs.size(); i++) lockStep.join();
        ExecutorService threads = Executors.newFixedThreadPool(songs.size());
        try {
            List<Future<T>> answers = new ArrayList<>();
            for (Callable<T> song : songs) {
                answers.add(threads.submit(() -> {
                    try {
                        return song.call();
                    } finally {
                        lockStep.leave();
                    }
                }));
            }
            List<T> results = new ArrayList<>();
            for (Future<T> answer : answers) results.add(answer.get());
            return results;
        } finally {
            threads.shutdown();
        }
    }
}
