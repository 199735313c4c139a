package dev.merlai.functions.live;

import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The threads every live session's plans are computed on: one pool for all sessions, as many threads as
 * {@code merlai.live.planner-threads} (unset: one per core), since plans are CPU work and a thread per session only
 * makes them wait for each other. Whatever uses the models runs here, the warm-up included, so that stopping the pool
 * is what makes closing the models safe: at shutdown it takes no new plan, drops the queued ones (their sessions end)
 * and waits for the ones running, before the model registry closes the models (its observer comes last).
 */
@ApplicationScoped
public class LivePlanners {

    private static final Logger LOG = Logger.getLogger(LivePlanners.class);
    /** Longer than any plan takes, also on a busy machine; a shutdown waits no longer for one. */
    private static final long RUNNING_PLAN_SECONDS = 30;

    private final ThreadPoolExecutor pool;

    @Inject
    LivePlanners(@ConfigProperty(name = "merlai.live.planner-threads") Optional<Integer> threads) {
        this(threads.orElse(Runtime.getRuntime().availableProcessors()));
    }

    LivePlanners(int threads) {
        AtomicInteger count = new AtomicInteger();
        pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(), runnable -> {
            Thread thread = new Thread(runnable, "live-planner-" + count.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    /**
     * Computes {@code plan} on the pool; its future is cancelled when the pool stops before it ran.
     *
     * @throws RejectedExecutionException the pool has stopped (the function is shutting down)
     */
    <T> Future<T> submit(Callable<T> plan) {
        return pool.submit(plan);
    }

    void stop(@Observes ShutdownEvent event) {
        stop();
    }

    /** Takes no new plan, cancels the queued ones and waits for the running ones. */
    void stop() {
        pool.shutdown();
        List<Runnable> queued = new ArrayList<>();
        pool.getQueue().drainTo(queued);
        queued.forEach(task -> ((Future<?>) task).cancel(false));
        try {
            if (!pool.awaitTermination(RUNNING_PLAN_SECONDS, TimeUnit.SECONDS)) {
                LOG.warnf("a live plan still runs %d s after shutdown began; the models close under it", RUNNING_PLAN_SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
