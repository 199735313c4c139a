package dev.merlai.tenancy;

import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Blocking calls on Vert.x's Redis client, for code that runs on worker threads (HTTP blocking handlers,
 * Funqy functions, the CLI, tests). Never call it on an event loop.
 *
 * <p>After a failure, calls on that client fail at once for {@value #PAUSE_MILLIS} ms instead of each waiting for its
 * timeout: with Redis down a request makes several Redis calls (key cache, rate limit, quota, counters), and every
 * one of them has a fallback, so waiting buys nothing.
 */
public final class RedisCommands {

    private static final long TIMEOUT_SECONDS = 2;
    static final long PAUSE_MILLIS = 5000;
    private static final Map<Redis, Long> PAUSED_UNTIL = Collections.synchronizedMap(new WeakHashMap<>());

    private RedisCommands() {
    }

    /** Sends one command and waits for its answer (null for a Redis nil). */
    public static Response send(Redis redis, Request request) {
        Long pausedUntil = PAUSED_UNTIL.get(redis);
        if (pausedUntil != null && System.currentTimeMillis() < pausedUntil) {
            throw new RedisUnavailableException("Redis failed less than " + PAUSE_MILLIS / 1000 + " s ago; not tried again yet", null);
        }
        try {
            Response response = redis.send(request).toCompletionStage().toCompletableFuture().get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            if (pausedUntil != null) PAUSED_UNTIL.remove(redis);
            return response;
        } catch (ExecutionException e) {
            throw failed(redis, "Redis failed: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw failed(redis, "Redis did not answer within " + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RedisUnavailableException("interrupted while waiting for Redis", e);
        }
    }

    private static RedisUnavailableException failed(Redis redis, String message, Throwable cause) {
        PAUSED_UNTIL.put(redis, System.currentTimeMillis() + PAUSE_MILLIS);
        return new RedisUnavailableException(message, cause);
    }
}
