package dev.merlai.arranger.model;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Songs arranged side by side, each on its own thread, whose calls of a model are answered together: a call waits
 * until every song still being arranged is waiting on a model call too (or has finished), and then each model's
 * waiting calls are answered by one batched call. The songs so move in lock-step by their model calls: the drum
 * model's bar {@code b} of one song is asked with bar {@code b} of the others.
 * <p>
 * Only models whose batched answer is bit for bit the answer each input gets alone take part (the drum and dynamics
 * models, whose batch rows are independent), so a song's arrangement does not depend on which songs it was arranged
 * with. The chord and texture models do not: their layer norms' ReduceMean sums in another order when the batch has
 * more than one row (ONNX Runtime picks its reduction kernel by shape), which moves their outputs by about 1e-6.
 */
public final class LockStep {

    private int running;
    private int calls;
    private int batches;
    private final Map<Object, Waiting<?, ?>> waiting = new IdentityHashMap<>();

    /** One song thread more that takes part; each one {@link #leave() leaves} when it has no more songs to arrange. */
    public synchronized void join() {
        running++;
    }

    /** A song thread is done: the others' waiting calls no longer wait for it. */
    public synchronized void leave() {
        running--;
        if (running == 0) answerWaiting();
    }

    /**
     * The answer to {@code input} of {@code model}, asked together with the other songs' waiting calls of the same
     * model through {@code batch} (their inputs in, their answers out in the same order).
     */
    <I, O> O call(Object model, Function<List<I>, List<O>> batch, I input) {
        Call<I, O> call = new Call<>(input);
        boolean interrupted = false;
        synchronized (this) {
            @SuppressWarnings("unchecked")
            Waiting<I, O> calls = (Waiting<I, O>) waiting.computeIfAbsent(model, key -> new Waiting<>(batch));
            calls.calls.add(call);
            running--;
            if (running == 0) answerWaiting();
            while (!call.answered) {
                try {
                    wait();
                } catch (InterruptedException e) {
                    // the call is queued and will be answered with the others; the interrupt is kept for the caller
                    interrupted = true;
                }
            }
        }
        if (interrupted) Thread.currentThread().interrupt();
        if (call.failure instanceof Error error) throw error;
        if (call.failure != null) throw (RuntimeException) call.failure;
        return call.answer;
    }

    /** How many model calls the songs made so far. */
    public synchronized int calls() {
        return calls;
    }

    /** In how many batched calls they were answered. */
    public synchronized int batches() {
        return batches;
    }

    /** Every song waits (or is done): each model's waiting calls are answered in one batch and their songs go on. */
    private void answerWaiting() {
        for (Waiting<?, ?> model : waiting.values()) {
            model.answer();
            running += model.calls.size();
            calls += model.calls.size();
            batches++;
        }
        waiting.clear();
        notifyAll();
    }

    private static final class Call<I, O> {
        private final I input;
        private O answer;
        private Throwable failure;
        private boolean answered;

        private Call(I input) {
            this.input = input;
        }
    }

    private static final class Waiting<I, O> {
        private final Function<List<I>, List<O>> batch;
        private final List<Call<I, O>> calls = new ArrayList<>();

        private Waiting(Function<List<I>, List<O>> batch) {
            this.batch = batch;
        }

        /** One batched call for all; a failure is every waiting song's. */
        private void answer() {
            List<I> inputs = new ArrayList<>(calls.size());
            for (Call<I, O> call : calls) inputs.add(call.input);
            try {
                List<O> answers = batch.apply(inputs);
                for (int i = 0; i < calls.size(); i++) calls.get(i).answer = answers.get(i);
            } catch (RuntimeException | Error e) {
                for (Call<I, O> call : calls) call.failure = e;
            }
            for (Call<I, O> call : calls) call.answered = true;
        }
    }
}
