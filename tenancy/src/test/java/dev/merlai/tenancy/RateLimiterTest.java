package dev.merlai.tenancy;

import dev.merlai.tenancy.limits.RateLimiter;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The token bucket against a real Redis, shared by two limiter instances as two replicas share it. */
class RateLimiterTest {

    @TempDir
    static Path data;
    private static RealServers servers;

    @BeforeAll
    static void start() throws Exception {
        servers = new RealServers(data);
    }

    @AfterAll
    static void stop() {
        servers.close();
    }

    private static Plan plan(double rate, int burst) {
        return new Plan("test", rate, burst, Map.of(), Map.of(), Map.of(), "EUR");
    }

    @Test
    void aBurstIsAllowedThenTheCallerIsToldHowLongToWait() {
        RateLimiter limiter = new RateLimiter(servers.newRedisClient());
        Plan plan = plan(2, 3);
        for (int i = 0; i < 3; i++) assertEquals(0, limiter.take("burst", plan));
        long wait = limiter.take("burst", plan);
        assertTrue(wait > 0 && wait <= 500, "a token comes within 1/rate: " + wait);
        assertEquals(0, limiter.take("other-tenant", plan), "each tenant has its own bucket");
    }

    @Test
    void twoInstancesEnforceOneTenantsLimitTogetherWithinOnePercent() throws Exception {
        Redis first = servers.newRedisClient();
        Redis second = servers.newRedisClient();
        List<RateLimiter> replicas = List.of(new RateLimiter(first), new RateLimiter(second));
        Plan plan = plan(400, 20);
        long seconds = 5;
        AtomicLong attempts = new AtomicLong();
        long start = redisMicros(first);
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        ExecutorService callers = Executors.newFixedThreadPool(4);
        List<Future<Long>> allowed = new ArrayList<>();
        for (int caller = 0; caller < 4; caller++) {
            RateLimiter limiter = replicas.get(caller % 2);
            allowed.add(callers.submit(() -> {
                long granted = 0;
                while (System.nanoTime() < deadline) {
                    attempts.incrementAndGet();
                    if (limiter.take("shared", plan) == 0) granted++;
                }
                return granted;
            }));
        }
        long perReplica0 = allowed.get(0).get() + allowed.get(2).get();
        long perReplica1 = allowed.get(1).get() + allowed.get(3).get();
        long elapsedMicros = redisMicros(first) - start;
        callers.shutdown();
        long total = perReplica0 + perReplica1;
        double expected = plan.burst() + plan.requestsPerSecond() * elapsedMicros / 1e6;
        System.out.printf("shared limit: %d allowed (%d + %d) of %d attempts in %.3f s; the bucket allows %.1f (%.2f%% off)%n",
                total, perReplica0, perReplica1, attempts.get(), elapsedMicros / 1e6, expected, 100 * (total - expected) / expected);
        assertTrue(attempts.get() > expected * 1.5, "the callers asked well beyond the limit: " + attempts + " attempts");
        assertTrue(perReplica0 > total / 4 && perReplica1 > total / 4, "both replicas were served: " + perReplica0 + " + " + perReplica1);
        assertTrue(Math.abs(total - expected) <= expected * 0.01,
                "allowed " + total + " of " + attempts + " attempts; the shared limit allows " + expected);
    }

    private static long redisMicros(Redis redis) {
        Response time = RedisCommands.send(redis, Request.cmd(Command.TIME));
        return time.get(0).toLong() * 1_000_000 + time.get(1).toLong();
    }
}
