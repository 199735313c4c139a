package dev.merlai.tenancy;

import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Blocking calls on Vert.x's Redis client, for code that runs on worker threads (HTTP blocking handlers,
 * Funqy functions, the CLI, tests). Never call it on an event loop.
 */
public final class RedisCommands {

    private static final long TIMEOUT_SECONDS = 2;

    private RedisCommands() {
    }

    /** Sends one command and waits for its answer (null for a Redis nil). */
    public static Response send(Redis redis, Request request) {
        try {
            return redis.send(request).toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new RedisUnavailableException("Redis failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new RedisUnavailableException("Redis did not answer within " + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisUnavailableException("interrupted while waiting for Redis", e);
        }
    }
}
