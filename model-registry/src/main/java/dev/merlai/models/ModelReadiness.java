package dev.merlai.models;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponseBuilder;
import org.eclipse.microprofile.health.Readiness;

import java.util.Map;
import java.util.TreeMap;

/**
 * Ready only once the base models are loaded, so Knative sends no request to a pod that cannot answer it; the data
 * gives the base models' state and how many tenants' models held now are ready, loading or failed (counts only: the
 * probe is not the place to name tenants).
 */
@Readiness
@ApplicationScoped
public class ModelReadiness implements HealthCheck {

    @Inject
    ModelRegistry models;

    @Override
    public HealthCheckResponse call() {
        HealthCheckResponseBuilder response = HealthCheckResponse.named("models").status(models.ready()).withData("version", models.version());
        Map<String, Long> personal = new TreeMap<>();
        models.states().forEach((model, state) -> {
            if (model.equals(ModelRegistry.BASE)) response.withData(model, state);
            else personal.merge("tenant models " + state.split(":")[0], 1L, Long::sum);
        });
        personal.forEach(response::withData);
        return response.build();
    }
}
