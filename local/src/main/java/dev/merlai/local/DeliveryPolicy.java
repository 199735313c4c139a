package dev.merlai.local;

import java.time.Duration;

/**
 * How the {@link EventRouter} delivers, after Knative's {@code delivery} spec: a failed attempt (5xx, 408, 429, a
 * connection error or a timeout) is retried {@code retries} times with exponential backoff, starting at
 * {@code firstBackoff} and doubling; then the event goes to the dead-letter folder. Any other status below 200 or from
 * 300 up (a 4xx: the event is bad) dead-letters it at once. A subscriber that cannot be reached at all (connection
 * refused or cut: its process is down, say being restarted by {@code merlai serve}) or answers 503 (what it needs is
 * down) is waited for longer: such attempts go on, the backoff capped at {@code maxBackoff}, until
 * {@code unreachablePatience} has passed since the first.
 *
 * @param retries        retries after the first attempt (Knative's {@code retry}); 5 gives 6 attempts in all
 * @param firstBackoff   wait before the first retry; the n-th retry waits {@code firstBackoff * 2^(n-1)}
 * @param attemptTimeout how long one attempt may take, connection and response together
 * @param concurrency    attempts running at once (threads)
 * @param maxPending     deliveries accepted and not finished (retries waiting included) before the router answers
 *                       503 to new events; replies of functions are always admitted
 * @param shutdownGrace  how long {@link EventRouter#close()} waits for running attempts; deliveries still unfinished
 *                       then are written as dead letters
 * @param unreachablePatience how long a subscriber that cannot be reached is retried, from the first attempt
 * @param maxBackoff     the longest wait between two attempts
 */
public record DeliveryPolicy(int retries, Duration firstBackoff, Duration attemptTimeout, int concurrency, int maxPending,
                             Duration shutdownGrace, Duration unreachablePatience, Duration maxBackoff) {

    /**
     * 5 retries after 0.5, 1, 2, 4 and 8 s; 10 minutes an attempt (a cold {@code complete} on a CPU is slow); an
     * unreachable subscriber is retried for 5 minutes, at least every 15 s (a function's restart takes under a minute).
     */
    public static final DeliveryPolicy DEFAULT = new DeliveryPolicy(5, Duration.ofMillis(500), Duration.ofMinutes(10), 8, 256,
            Duration.ofSeconds(10), Duration.ofMinutes(5), Duration.ofSeconds(15));

    public DeliveryPolicy {
        if (retries < 0) throw new IllegalArgumentException("retries must not be negative, was " + retries);
        if (firstBackoff.isNegative() || attemptTimeout.isZero() || attemptTimeout.isNegative() || shutdownGrace.isNegative()
                || unreachablePatience.isNegative() || maxBackoff.isNegative()) {
            throw new IllegalArgumentException("backoff and grace must not be negative, the attempt timeout must be positive");
        }
        if (concurrency < 1 || maxPending < 1) throw new IllegalArgumentException("concurrency and maxPending must be at least 1");
    }

    /** The same policy with other retries and first backoff. */
    public DeliveryPolicy withRetries(int newRetries, Duration newFirstBackoff) {
        return new DeliveryPolicy(newRetries, newFirstBackoff, attemptTimeout, concurrency, maxPending, shutdownGrace, unreachablePatience, maxBackoff);
    }

    public DeliveryPolicy withAttemptTimeout(Duration newAttemptTimeout) {
        return new DeliveryPolicy(retries, firstBackoff, newAttemptTimeout, concurrency, maxPending, shutdownGrace, unreachablePatience, maxBackoff);
    }

    public DeliveryPolicy withMaxPending(int newMaxPending) {
        return new DeliveryPolicy(retries, firstBackoff, attemptTimeout, concurrency, newMaxPending, shutdownGrace, unreachablePatience, maxBackoff);
    }

    public DeliveryPolicy withUnreachablePatience(Duration newUnreachablePatience) {
        return new DeliveryPolicy(retries, firstBackoff, attemptTimeout, concurrency, maxPending, shutdownGrace, newUnreachablePatience, maxBackoff);
    }

    /** The wait before retry {@code retry} (1-based). */
    Duration backoff(int retry) {
        Duration doubled = firstBackoff.multipliedBy(1L << Math.min(retry - 1, 30));
        return doubled.compareTo(maxBackoff) > 0 ? maxBackoff : doubled;
    }

    /** Whether an HTTP status is worth another attempt. */
    static boolean retryable(int status) {
        return status >= 500 || status == 408 || status == 429;
    }
}
