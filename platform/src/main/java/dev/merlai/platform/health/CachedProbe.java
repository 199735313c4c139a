package dev.merlai.platform.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * A readiness probe of a backing service whose answer is kept for a few seconds: probes come often (every replica,
 * every few seconds) and must not each cost a round trip.
 */
public final class CachedProbe {

    private record Answer(Optional<String> failure, Instant at) {
    }

    private final Runnable probe;
    private final Class<? extends RuntimeException> unavailable;
    private final Duration keptFor;
    private final Clock clock;
    private Answer last;

    /**
     * @param probe       one cheap call to the service
     * @param unavailable what the call throws when the service does not answer
     */
    public CachedProbe(Runnable probe, Class<? extends RuntimeException> unavailable, Duration keptFor, Clock clock) {
        this.probe = probe;
        this.unavailable = unavailable;
        this.keptFor = keptFor;
        this.clock = clock;
    }

    /** Why the service did not answer at the last probe (made now when the last one is older than {@code keptFor}); empty when it did. */
    public synchronized Optional<String> failure() {
        Instant now = clock.instant();
        if (last == null || !now.isBefore(last.at().plus(keptFor))) last = new Answer(probeNow(), now);
        return last.failure();
    }

    private Optional<String> probeNow() {
        try {
            probe.run();
            return Optional.empty();
        } catch (RuntimeException e) {
            if (unavailable.isInstance(e)) return Optional.of(e.getMessage());
            throw e;
        }
    }
}
