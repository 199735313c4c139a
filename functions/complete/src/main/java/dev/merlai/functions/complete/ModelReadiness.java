package dev.merlai.functions.complete;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready only once the models are loaded, so Knative sends no request to a pod that cannot answer it. */
@Readiness
@ApplicationScoped
public class ModelReadiness implements HealthCheck {

    @Inject
    ModelService models;

    @Override
    public HealthCheckResponse call() {
        return HealthCheckResponse.named("models").status(models.ready())
                .withData("version", models.version()).withData("loadMillis", models.loadMillis()).build();
    }
}
