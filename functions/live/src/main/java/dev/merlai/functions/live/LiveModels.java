package dev.merlai.functions.live;

import dev.merlai.arranger.ArrangeException;
import dev.merlai.arranger.ArrangeOptions;
import dev.merlai.arranger.Arranger;
import dev.merlai.arranger.live.LiveEngine;
import dev.merlai.arranger.live.LiveSettings;
import dev.merlai.models.ModelRegistry;
import dev.merlai.music.MeterMap;
import dev.merlai.music.Score;
import dev.merlai.platform.http.InvalidRequestException;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;

/**
 * The models a live session plays with, from the model registry complete uses too: the base models, or the tenant's
 * personal model when start names one ({@code model}, as complete's request does). Each is warmed up on the planners
 * before its first session plans with it.
 */
@ApplicationScoped
public class LiveModels {

    @Inject
    ModelRegistry registry;

    @Inject
    LivePlanners planners;

    /** The versions warmed up so far. */
    private final Set<String> warmed = ConcurrentHashMap.newKeySet();

    /** Waits for the base models and warms them up before the first session. */
    void warmUpBase(@Observes StartupEvent event) throws InvalidRequestException {
        acquire(null, null).close();
    }

    /**
     * The models of {@code tenant}'s {@code model} (null: the base models), loaded if need be; the session closes the
     * lease when it ends.
     *
     * @throws InvalidRequestException the tenant has no such (finished) model, on {@code model}
     */
    ModelRegistry.Lease acquire(String tenant, String model) throws InvalidRequestException {
        ModelRegistry.Lease lease = registry.acquire(tenant, model);
        if (warmed.add(lease.version())) {
            try {
                planners.submit(() -> warmUp(lease.arranger())).get();
            } catch (ExecutionException e) {
                warmed.remove(lease.version());
                lease.close();
                throw new IllegalStateException("the models " + lease.version() + " cannot plan a live session: " + e.getCause().getMessage(), e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        return lease;
    }

    /**
     * Plans two bars once before the first session: a JVM's first plans run several times slower (classes loaded,
     * code not yet compiled, ONNX Runtime's first runs), and the first session's first beats would come late.
     */
    private static Void warmUp(Arranger arranger) throws ArrangeException {
        LiveEngine engine = new LiveEngine(arranger, LiveSettings.of(120, MeterMap.of(4, 4), ArrangeOptions.DEFAULT));
        long beat = Score.TICKS_PER_QUARTER;
        int[] scale = {60, 62, 64, 65, 67, 69, 71, 72};
        for (int i = 0; i < scale.length; i++) {
            engine.noteOn(i * beat, scale[i], 80);
            engine.noteOff((i + 1) * beat, scale[i]);
            engine.advance(i * beat);
        }
        return null;
    }
}
