package dev.merlai.functions.live;

import dev.merlai.arranger.ArrangeException;
import dev.merlai.arranger.ArrangeOptions;
import dev.merlai.arranger.Arranger;
import dev.merlai.arranger.live.LiveEngine;
import dev.merlai.arranger.live.LiveSettings;
import dev.merlai.arranger.model.ArrangementModels;
import dev.merlai.music.MeterMap;
import dev.merlai.music.Score;
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

    // load (with its warm-up) and close hold the same lock: a stop during start-up must not free the models mid-plan
    synchronized void load(@Observes StartupEvent event) {
        try {
            models = ArrangementModels.load(modelDir, threads, "gpu".equalsIgnoreCase(device.strip()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the arrangement models", e);
        }
        arranger = new Arranger(models);
        warmUp();
    }

    /**
     * Plans two bars once before the first session: a JVM's first plans run several times slower (classes loaded,
     * code not yet compiled, ONNX Runtime's first runs), and the first session's first beats would come late.
     */
    private void warmUp() {
        LiveEngine engine = new LiveEngine(arranger, LiveSettings.of(120, MeterMap.of(4, 4), ArrangeOptions.DEFAULT));
        long beat = Score.TICKS_PER_QUARTER;
        int[] scale = {60, 62, 64, 65, 67, 69, 71, 72};
        try {
            for (int i = 0; i < scale.length; i++) {
                engine.noteOn(i * beat, scale[i], 80);
                engine.noteOff((i + 1) * beat, scale[i]);
                engine.advance(i * beat);
            }
        } catch (ArrangeException e) {
            throw new IllegalStateException("the arrangement models cannot plan a live session: " + e.getMessage(), e);
        }
    }

    synchronized void close(@Observes ShutdownEvent event) {
        if (models != null) models.close();
    }

    public Arranger arranger() {
        return arranger;
    }

    public String version() {
        return models.version();
    }
}
