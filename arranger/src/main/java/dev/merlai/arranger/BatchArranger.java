package dev.merlai.arranger;

import dev.merlai.arranger.model.ArrangementModels;
import dev.merlai.arranger.model.LockStep;

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
        R complete(Arranger arranger, T song) throws Exception;
    }

    /**
     * The songs' outcomes, in the songs' order, and how their drum and dynamics model calls were answered.
     *
     * @param results      each song's result, null where the song failed
     * @param failures     what each song failed with (anything its work threw, an {@link Error} too), null where it did not
     * @param modelCalls   the calls the songs made of the drum and dynamics models
     * @param modelBatches the batched calls that answered them (as many as the calls one song at a time)
     */
    public record Completed<R>(List<R> results, List<Throwable> failures, int modelCalls, int modelBatches) {
    }

    private final ArrangementModels models;
    private final int songsAtOnce;

    public BatchArranger(ArrangementModels models, int songsAtOnce) {
        if (songsAtOnce < 1) throw new IllegalArgumentException("songs at once must be at least 1, not " + songsAtOnce);
        this.models = models;
        this.songsAtOnce = songsAtOnce;
    }

    /**
     * Completes every song with {@code work}. Whatever a song's work throws is that song's failure: it does not stop
     * the others, and a worker that met it goes on with the next song (so the drum and dynamics calls it shares with
     * the other songs are still answered).
     */
    public <T, R> Completed<R> completeEach(List<T> songs, SongWork<T, R> work) throws InterruptedException {
        Object[] results = new Object[songs.size()];
        Throwable[] failures = new Throwable[songs.size()];
        int threads = Math.min(songsAtOnce, songs.size());
        if (threads <= 1) {
            Arranger arranger = new Arranger(models);
            for (int i = 0; i < songs.size(); i++) completeOne(arranger, songs, i, work, results, failures);
            return completed(results, failures, 0, 0);
        }
        LockStep lockStep = new LockStep();
        Arranger arranger = new Arranger(models.inStep(lockStep));
        AtomicInteger next = new AtomicInteger();
        List<Thread> workers = new ArrayList<>(threads);
        // Every worker takes part from the start, so that no song's first call is answered before the others could join it.
        for (int w = 0; w < threads; w++) lockStep.join();
        for (int w = 0; w < threads; w++) {
            Thread worker = new Thread(() -> {
                try {
                    for (int i = next.getAndIncrement(); i < songs.size(); i = next.getAndIncrement()) completeOne(arranger, songs, i, work, results, failures);
                } finally {
                    lockStep.leave();
                }
            }, "merlai-batch-song-" + w);
            workers.add(worker);
            worker.start();
        }
        for (Thread worker : workers) worker.join();
        return completed(results, failures, lockStep.calls(), lockStep.batches());
    }

    /** Song {@code i}: its result, or whatever it threw as its failure. */
    private static <T, R> void completeOne(Arranger arranger, List<T> songs, int i, SongWork<T, R> work, Object[] results, Throwable[] failures) {
        try {
            results[i] = work.complete(arranger, songs.get(i));
        } catch (Throwable failure) {
            failures[i] = failure;
        }
    }

    @SuppressWarnings("unchecked")
    private static <R> Completed<R> completed(Object[] results, Throwable[] failures, int modelCalls, int modelBatches) {
        return new Completed<>((List<R>) Arrays.asList(results), Arrays.asList(failures), modelCalls, modelBatches);
    }
}
