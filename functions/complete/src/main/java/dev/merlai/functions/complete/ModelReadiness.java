package dev.merlai.functions.complete;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

/**
 * Ready only once the base models are loaded, so Knative sends no request to a pod that cannot answer it; the data
 * names each model's state (base, and each tenant's model held now: ready, loading or failed).
 */
@Readiness
@ApplicationScoped
public class ModelReadiness implements HealthCheck {

    @Inject
    ModelRegistry models;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("models").status(models.ready()).withData("version", models.version());
        models.states().forEach(response::withData);
        return response.build();
    }
}
