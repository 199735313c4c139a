package dev.merlai.platform.health;

import dev.merlai.storage.ObjectStore;
import dev.merlai.storage.StorageUnavailableException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Clock;
import java.time.Duration;
import java.util.Optional;

/**
 * Ready only while the object store answers: every function reads and writes there, so with it down or frozen the
 * replica is taken out of rotation (its calls would answer 503 anyway). One HEAD request, its answer kept 3 s.
 */
@Readiness
@ApplicationScoped
public class StorageHealth implements HealthCheck {

    /** A key nobody writes: its HEAD is the cheapest call that proves the bucket answers (404 is an answer). */
    static final String PROBE_KEY = "system/readiness-probe";

    private final CachedProbe probe;

    @Inject
    public StorageHealth(ObjectStore store) {
        this.probe = new CachedProbe(() -> store.exists(PROBE_KEY), StorageUnavailableException.class, Duration.ofSeconds(3), Clock.systemUTC());
    }

    @Override
    public HealthCheckResponse call() {
        Optional<String> failure = probe.failure();
        return HealthCheckResponse.named("storage").status(failure.isEmpty()).withData("error", failure.orElse("none")).build();
    }
}
