package dev.merlai.embedded;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * A server started as its own process on a loopback port (S3Proxy, Redis, and under {@code merlai serve} each
 * function): its process, a clean stop, and what every such server needs to start and stop.
 */
public interface ChildProcess extends AutoCloseable {

    Process process();

    default boolean isAlive() {
        return process().isAlive();
    }

    /** Stops the process; returns once it is gone, so its port is free. */
    @Override
    void close();

    /**
     * Asks a starting server once whether it serves yet; false or an {@link IOException} means not yet. A probe that is
     * interrupted sets the thread's interrupt flag, and the wait ends.
     */
    @FunctionalInterface
    interface ReadinessProbe {
        boolean ready() throws IOException;
    }

    /**
     * Asks {@code probe} every {@code interval} until it says ready.
     *
     * @param name what the messages call the server, e.g. {@code "Redis on 127.0.0.1:6379"}
     * @throws IOException when the process exits first, the thread is interrupted, or {@code timeout} passes
     */
    default void awaitReady(String name, Duration timeout, Duration interval, ReadinessProbe probe) throws IOException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process().isAlive()) throw new IOException(name + " exited with code " + process().exitValue() + " before it was ready");
            try {
                if (probe.ready()) return;
            } catch (IOException notYet) {
                // not serving yet (a refused connection, a read that timed out)
            }
            try {
                Thread.sleep(interval.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while waiting for " + name);
            }
        }
        throw new IOException(name + " was not ready within " + timeout.toMillis() + " ms");
    }

    /** The {@code java} of the running JVM, to start a child on the same Java. */
    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A port nothing listens on right now. */
    static int freePort() {
        return freePort(Set.of());
    }

    /**
     * A port nothing listens on right now and not among {@code promised}: ports already chosen for servers that have not
     * bound them yet (a child JVM binds its port seconds after it starts), which the system could hand out again.
     */
    static int freePort(Set<Integer> promised) {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0)) {
                if (!promised.contains(socket.getLocalPort())) return socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** SIGTERM, then SIGKILL after {@code graceSeconds}; returns once the process is gone, so its port is free. */
    static void stop(Process process, long graceSeconds) {
        process.destroy();
        try {
            if (!process.waitFor(graceSeconds, TimeUnit.SECONDS)) process.destroyForcibly().waitFor();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The last lines of a log file, for error messages. */
    static String logTail(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 15), lines.size()));
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
