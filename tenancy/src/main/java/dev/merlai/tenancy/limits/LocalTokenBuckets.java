package dev.merlai.tenancy.limits;

import dev.merlai.tenancy.Plan;

import java.time.Instant;
import java.time.InstantSource;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * A token bucket per tenant in this process: what {@link RateLimiter} enforces while Redis is down. Each replica then
 * allows the plan's rate on its own (n replicas, n times the rate) instead of no limit at all.
 */
final class LocalTokenBuckets {

    private record Bucket(double tokens, long atMicros) {
    }

    private final InstantSource clock;
    private final ConcurrentMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    LocalTokenBuckets(InstantSource clock) {
        this.clock = clock;
    }

    /** The same contract as {@link RateLimiter#take}: 0 when a token was taken, else the milliseconds until there is one. */
    long take(String tenant, Plan plan) {
        long[] wait = new long[1];
        buckets.compute(tenant, (t, bucket) -> {
            long now = micros(clock.instant());
            double tokens = bucket == null ? plan.burst()
                    : Math.min(plan.burst(), bucket.tokens() + Math.max(0, now - bucket.atMicros()) * plan.requestsPerSecond() / 1e6);
            if (tokens >= 1) return new Bucket(tokens - 1, now);
            wait[0] = (long) Math.ceil((1 - tokens) * 1000 / plan.requestsPerSecond());
            return new Bucket(tokens, now);
        });
        return wait[0];
    }

    private static long micros(Instant instant) {
        return instant.getEpochSecond() * 1_000_000 + instant.getNano() / 1000;
    }
}
