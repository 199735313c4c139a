package dev.merlai.tenancy;

import dev.merlai.tenancy.limits.RateLimiter;
import io.vertx.core.Vertx;
import io.vertx.redis.client.Redis;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The token bucket against a real Redis, shared by two limiter instances as two replicas share it, and the one each
 * process keeps while Redis is down. No test here depends on how fast the machine is: the shared bucket is checked with
 * a rate too slow to refill during the test, and the in-process one on a clock the test moves.
 */
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
    void aBurstIsAllowedThenTheCallerIsToldHowLongToWaitAndATokenIsThereAfterThat() throws Exception {
        RateLimiter limiter = new RateLimiter(servers.newRedisClient(), Clock.systemUTC());
        Plan plan = plan(2, 3);
        for (int i = 0; i < 3; i++) assertEquals(0, limiter.take("burst", plan));
        long wait = limiter.take("burst", plan);
        assertTrue(wait > 0 && wait <= 500, "a token comes within 1/rate: " + wait);
        assertEquals(0, limiter.take("other-tenant", plan), "each tenant has its own bucket");
        Thread.sleep(wait); // Redis' clock moves at least as far: a token is there
        assertEquals(0, limiter.take("burst", plan));
    }

    @Test
    void twoReplicasHammeringOneTenantAreAllowedItsBurstOnceBetweenThem() throws Exception {
        List<RateLimiter> replicas = List.of(new RateLimiter(servers.newRedisClient(), Clock.systemUTC()),
                new RateLimiter(servers.newRedisClient(), Clock.systemUTC()));
        Plan plan = plan(0.0001, 50); // one token every 10,000 s: nothing refills while the test runs
        ExecutorService callers = Executors.newFixedThreadPool(4);
        List<Future<long[]>> answers = new ArrayList<>();
        for (int caller = 0; caller < 4; caller++) {
            RateLimiter limiter = replicas.get(caller % 2);
            answers.add(callers.submit(() -> {
                long granted = 0;
                long shortestWait = Long.MAX_VALUE;
                for (int attempt = 0; attempt < 60; attempt++) {
                    long wait = limiter.take("shared", plan);
                    if (wait == 0) granted++;
                    else shortestWait = Math.min(shortestWait, wait);
                }
                return new long[]{granted, shortestWait};
            }));
        }
        long granted = 0;
        for (Future<long[]> answer : answers) {
            granted += answer.get()[0];
            assertTrue(answer.get()[1] > 9_000_000, "a refused caller is told to wait about 1/rate: " + answer.get()[1] + " ms");
        }
        callers.shutdown();
        assertEquals(50, granted, "240 attempts on two replicas, one shared bucket of 50");
    }

    @Test
    void withRedisDownEachProcessKeepsThePlansRateOnItsOwnClock() {
        Vertx vertx = Vertx.vertx();
        Redis nowhere = Redis.createClient(vertx, "redis://127.0.0.1:9"); // nothing listens on the discard port
        Instant[] now = {Instant.parse("2026-11-03T10:00:00Z")};
        InstantSource clock = () -> now[0];
        RateLimiter limiter = new RateLimiter(nowhere, clock);
        Plan plan = plan(4, 10);
        try {
            for (int i = 0; i < 10; i++) assertEquals(0, limiter.take("alone", plan), "the burst");
            assertEquals(250, limiter.take("alone", plan), "then one token each 1/4 s");
            assertEquals(0, limiter.take("someone-else", plan), "each tenant has its own bucket");
            long allowed = 0;
            for (int step = 0; step < 8 * 60; step++) { // a minute in steps of 1/8 s (half a token, exact in binary), asking each step
                now[0] = now[0].plus(Duration.ofMillis(125));
                if (limiter.take("alone", plan) == 0) allowed++;
            }
            assertEquals(4 * 60, allowed, "exactly the plan's rate: not unlimited while Redis is down");
            now[0] = now[0].plus(Duration.ofHours(1));
            for (int i = 0; i < 10; i++) assertEquals(0, limiter.take("alone", plan), "an idle hour fills the bucket up to its burst only");
            assertTrue(limiter.take("alone", plan) > 0);
        } finally {
            nowhere.close();
            vertx.close();
        }
    }
}
