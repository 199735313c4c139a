package dev.merlai.local;

import dev.merlai.embedded.ChildProcess;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * One child of {@code merlai serve} (Redis, S3Proxy, a function) kept running, as Kubernetes keeps a pod: when its
 * process exits while it is supervised, it is started again on the same address, after a backoff that doubles from
 * {@value #FIRST_BACKOFF_MS} ms up to {@link #MAX_BACKOFF} (back to the first once a child stayed up for
 * {@link #STABLE}). Each exit and restart is a health line, in {@code merlai serve}'s output and in the health log:
 * {@code health: complete exited with code 137; restart 1 in 1000 ms} ... {@code health: complete restarted in 9120 ms}.
 */
final class Supervised implements AutoCloseable {

    /** Starts the child again and returns once it serves. */
    @FunctionalInterface
    interface Starter {
        ChildProcess start() throws IOException;
    }

    static final long FIRST_BACKOFF_MS = 1000;
    static final Duration MAX_BACKOFF = Duration.ofSeconds(30);
    static final Duration STABLE = Duration.ofMinutes(1);
    private static final Logger LOG = LoggerFactory.getLogger(Supervised.class);

    private final String name;
    private final Starter starter;
    private final Path healthLog;
    private final ScheduledExecutorService timer;
    private volatile ChildProcess current;
    private volatile boolean closed;
    private Instant startedAt = Instant.now();
    private long backoffMs = FIRST_BACKOFF_MS;
    private volatile int restarts;

    /**
     * @param first     the child as first started; supervision begins with {@link #watch()}, once it is ready
     * @param starter   how to start it again, ready to serve
     * @param healthLog the file the health lines are appended to
     */
    Supervised(String name, ChildProcess first, Starter starter, Path healthLog) {
        this.name = name;
        this.current = first;
        this.starter = starter;
        this.healthLog = healthLog;
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "merlai-supervise-" + name);
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Restarts the child whenever it exits from now on, until {@link #close()}. */
    Supervised watch() {
        ChildProcess child = current;
        child.process().onExit().thenRun(() -> exited(child));
        return this;
    }

    /** The process running now (a new one after each restart). */
    Process process() {
        return current.process();
    }

    int restarts() {
        return restarts;
    }

    private synchronized void exited(ChildProcess child) {
        if (closed || child != current) return;
        if (Duration.between(startedAt, Instant.now()).compareTo(STABLE) >= 0) backoffMs = FIRST_BACKOFF_MS;
        restarts++;
        health(name + " exited with code " + child.process().exitValue() + "; restart " + restarts + " in " + backoffMs + " ms");
        scheduleRestart();
    }

    private synchronized void scheduleRestart() {
        long delay = backoffMs;
        backoffMs = Math.min(backoffMs * 2, MAX_BACKOFF.toMillis());
        try {
            timer.schedule(this::restart, delay, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException stopping) {
            // closed meanwhile
        }
    }

    private void restart() {
        if (closed) return;
        long begun = System.nanoTime();
        ChildProcess again;
        try {
            again = starter.start();
        } catch (IOException | RuntimeException e) {
            if (closed) return;
            health(name + " did not start again (" + String.valueOf(e.getMessage()).lines().findFirst().orElse("") + "); next try in " + backoffMs + " ms");
            scheduleRestart();
            return;
        }
        synchronized (this) {
            if (closed) {
                again.close();
                return;
            }
            startedAt = Instant.now();
            health(name + " restarted in " + (System.nanoTime() - begun) / 1_000_000 + " ms (pid " + again.process().pid() + ")");
            current = again;
            watch();
        }
    }

    private void health(String line) {
        LOG.warn("health: {}", line);
        try {
            Files.createDirectories(healthLog.getParent());
            Files.writeString(healthLog, Instant.now() + " health: " + line + System.lineSeparator(), StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            LOG.warn("cannot append to {}: {}", healthLog, e.toString());
        }
    }

    /**
     * Stops supervising: a child that exits from now on (say, to the Ctrl-C that {@code merlai serve} got too) stays
     * down; a restart under way is stopped.
     */
    void stopSupervising() {
        closed = true;
        timer.shutdownNow();
    }

    /** Stops supervising, then stops the child. */
    @Override
    public void close() {
        stopSupervising();
        synchronized (this) {
            current.close();
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
