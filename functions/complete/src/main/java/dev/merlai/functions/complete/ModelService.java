package dev.merlai.functions.complete;

import dev.merlai.arranger.Arranger;
import dev.merlai.arranger.model.ArrangementModels;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Optional;

/** Loads the models once at start-up; readiness reports ready only after that. */
@ApplicationScoped
public class ModelService {

    private static final Logger LOG = Logger.getLogger(ModelService.class);

    @ConfigProperty(name = "merlai.models.dir")
    Optional<String> modelDir;

    @ConfigProperty(name = "merlai.models.threads")
    int threads;

    /** Empty or {@code cpu}: ONNX Runtime on the CPU; {@code gpu}: its CUDA provider (env MERLAI_ORT_DEVICE). */
    @ConfigProperty(name = "merlai.models.device", defaultValue = "cpu")
    String device;

    private volatile ArrangementModels models;
    private volatile Arranger arranger;
    private volatile long loadMillis;

    void load(@Observes StartupEvent event) {
        long started = System.nanoTime();
        try {
            boolean gpu = "gpu".equalsIgnoreCase(device.strip());
            models = modelDir.filter(d -> !d.isBlank()).isPresent()
                    ? ArrangementModels.load(Path.of(modelDir.get()), threads, gpu)
                    : ArrangementModels.loadShipped(threads, gpu);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the arrangement models", e);
        }
        arranger = new Arranger(models);
        loadMillis = (System.nanoTime() - started) / 1_000_000;
        LOG.infof("models %s loaded on %s in %d ms", models.version(), device.isBlank() ? "cpu" : device, loadMillis);
    }

    void close(@Observes ShutdownEvent event) {
        if (models != null) models.close();
    }

    public boolean ready() {
        return arranger != null;
    }

    public Arranger arranger() {
        if (arranger == null) throw new IllegalStateException("models are not loaded yet");
        return arranger;
    }

    public String version() {
        return models == null ? "" : models.version();
    }

    public long loadMillis() {
        return loadMillis;
    }
}
