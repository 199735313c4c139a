package dev.merlai.arranger;

import dev.merlai.arranger.model.ArrangementModels;
import dev.merlai.arranger.model.LockStep;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Many songs completed with one set of models, {@code songsAtOnce} of them side by side, each on its own thread
 * through an {@link Arranger} whose drum and dynamics model calls are answered together with the other songs'
 * ({@link LockStep}). Each song's arrangement is the one it gets alone: those two models answer a batch row for row
 * as they answer each row alone. One song at a time is the {@link Arranger} alone, every model call of batch size 1.
 */
public final class BatchArranger {

    /** What is done with one song of the batch (read it, arrange it with the arranger given, write it), on its thread. */
    @FunctionalInterface
    public interface SongWork<T, R> {
        R complete(Arranger arranger, T song) throws IOException;
    }

    /**
     * The songs' results, in the songs' order, and how their drum and dynamics model calls were answered.
     *
     * @param modelCalls   the calls the songs made of the drum and dynamics models
     * @param modelBatches the batched calls that answered them (as many as the calls one song at a time)
     */
    public record Completed<R>(List<R> results, int modelCalls, int modelBatches) {
    }

    private final ArrangementModels models;
    private final int songsAtOnce;

    public BatchArranger(ArrangementModels models, int songsAtOnce) {
        if (songsAtOnce < 1) throw new IllegalArgumentException("songs at once must be at least 1, not " + songsAtOnce);
        this.models = models;
        this.songsAtOnce = songsAtOnce;
    }

    /**
     * Completes every song with {@code work}; a song's {@link IOException} or runtime failure does not stop the
     * others, and the first of them is thrown once all are done.
     */
    public <T, R> Completed<R> completeEach(List<T> songs, SongWork<T, R> work) throws IOException {
        int threads = Math.min(songsAtOnce, songs.size());
        if (threads <= 1) {
            Arranger arranger = new Arranger(models);
            List<R> results = new ArrayList<>(songs.size());
            for (T song : songs) results.add(work.complete(arranger, song));
            return new Completed<>(results, 0, 0);
        }
        LockStep lockStep = new LockStep();
        Arranger arranger = new Arranger(models.inStep(lockStep));
        Object[] results = new Object[songs.size()];
        Exception[] failures = new Exception[songs.size()];
        AtomicInteger next = new AtomicInteger();
        List<Thread> workers = new ArrayList<>(threads);
        // Every worker takes part from the start, so that no song's first call is answered before the others could join it.
        for (int w = 0; w < threads; w++) lockStep.join();
        for (int w = 0; w < threads; w++) {
            Thread worker = new Thread(() -> {
                try {
                    for (int i = next.getAndIncrement(); i < songs.size(); i = next.getAndIncrement()) {
                        try {
                            results[i] = work.complete(arranger, songs.get(i));
                        } catch (IOException | RuntimeException e) {
                            failures[i] = e;
                        }
                    }
                } finally {
                    lockStep.leave();
                }
            }, "merlai-batch-song-" + w);
            workers.add(worker);
            worker.start();
        }
        awaitAll(workers);
        for (Exception failure : failures) {
            if (failure instanceof IOException io) throw io;
            if (failure instanceof RuntimeException runtime) throw runtime;
        }
        @SuppressWarnings("unchecked")
        List<R> ordered = (List<R>) Arrays.asList(results);
        return new Completed<>(ordered, lockStep.calls(), lockStep.batches());
    }

    private static void awaitAll(List<Thread> workers) throws IOException {
        for (Thread worker : workers) {
            try {
                worker.join();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while the batch's songs were completed", e);
            }
        }
    }
}
