package dev.merlai.functions.live;

import dev.merlai.arranger.Arranger;
import dev.merlai.arranger.model.ArrangementModels;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;

/** The arrangement models, loaded once at start-up and shared by every session. */
@ApplicationScoped
public class LiveModels {

    @ConfigProperty(name = "merlai.models.dir")
    Optional<String> modelDir;

    @ConfigProperty(name = "merlai.models.threads")
    int threads;

    /** {@code cpu}, or {@code gpu}: ONNX Runtime's CUDA provider, as for complete. */
    @ConfigProperty(name = "merlai.models.device", defaultValue = "cpu")
    String device;

    private volatile ArrangementModels models;
    private volatile Arranger arranger;

    void load(@Observes StartupEvent event) {
        try {
            models = ArrangementModels.load(modelDir, threads, "gpu".equalsIgnoreCase(device.strip()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the arrangement models", e);
        }
        arranger = new Arranger(models);
    }

    void close(@Observes ShutdownEvent event) {
        if (models != null) models.close();
    }

    public Arranger arranger() {
        return arranger;
    }

    public String version() {
        return models.version();
    }
}
