package dev.merlai.testing;

import dev.merlai.embedded.RedisServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Starts a real Redis (Debian's redis-server, its own process, on a free loopback port, with a random password as in
 * production) for a {@code @QuarkusTest} and points {@code quarkus.redis.hosts} and {@code quarkus.redis.password} at
 * it. Tests may stop it through {@link #server()} to see how the function copes, and start it again empty
 * ({@link #restartEmpty()}) as a Redis that lost its data.
 *
 * <p>A test class that restricts this resource to itself runs with two instances at once (the global one and its
 * own); each stops the Redis it started, so neither outlives the tests.
 */
public class RedisResource implements QuarkusTestResourceLifecycleManager {

    /** The Redis the running test class is configured with: the one started last, or its empty restart. */
    private static volatile RedisServer server;
    /** The Redis this instance started. */
    private RedisServer started;

    @Override
    public Map<String, String> start() {
        try {
            started = RedisServer.start("127.0.0.1", 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        server = started;
        return Map.of("quarkus.redis.hosts", started.url().toString(), "quarkus.redis.password", started.password());
    }

    public static RedisServer server() {
        if (server == null) throw new IllegalStateException("RedisResource has not started");
        return server;
    }

    /** Stops the Redis if it runs and starts a new one, holding nothing, on the same port with the same password. */
    public static synchronized RedisServer restartEmpty() {
        RedisServer old = server();
        old.close();
        try {
            server = RedisServer.start("127.0.0.1", old.port(), null, old.password());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return server;
    }

    /** Stops the Redis this instance started, and its empty restart on the same port if a test made one. */
    @Override
    public void stop() {
        if (started == null) return;
        started.close();
        RedisServer current = server;
        if (current != null && current != started && current.port() == started.port()) current.close();
    }
}
