package dev.merlai.functions.complete;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/**
 * Reports whether the completion cache works. It stays UP while Redis is down (completions go on
 * uncached, so the pod must keep taking traffic) and says {@code degraded: true}.
 */
@Readiness
@ApplicationScoped
public class CacheHealth implements HealthCheck {

    @Inject
    CompletionCache cache;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("cache").up().withData("degraded", cache.degraded()).build();
    }
}
