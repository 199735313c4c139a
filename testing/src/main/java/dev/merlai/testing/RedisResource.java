package dev.merlai.testing;

import dev.merlai.local.RedisServer;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Starts a real Redis (Debian's redis-server, its own process, on a free loopback port) for a
 * {@code @QuarkusTest} and points {@code quarkus.redis.hosts} at it. Tests may stop it through
 * {@link #server()} to see how the function copes.
 */
public class RedisResource implements QuarkusTestResourceLifecycleManager {

    private static volatile RedisServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = RedisServer.start("127.0.0.1", 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("quarkus.redis.hosts", server.url().toString());
    }

    public static RedisServer server() {
        if (server == null) throw new IllegalStateException("RedisResource has not started");
        return server;
    }

    @Override
    public void stop() {
        if (server != null) server.close();
    }
}
