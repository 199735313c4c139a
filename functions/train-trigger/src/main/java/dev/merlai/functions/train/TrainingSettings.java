package dev.merlai.functions.train;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithName;

/**
 * The {@code merlai.training.*} settings, read once for {@link TrainingSets} and {@link Trainings}; their values and
 * what they mean are in {@code application.properties}.
 */
@ConfigMapping(prefix = "merlai.training")
public interface TrainingSettings {

    /** Bars a piece needs to be trained on. */
    int minBars();

    /** Usable pieces a set needs. */
    int minPieces();

    /** Files of a set read at most. */
    int maxPieces();

    /** Training jobs one tenant may run at once. */
    @WithName("max-concurrent-per-tenant")
    int maxConcurrent();

    /** Where training runs: {@code local} or {@code kubernetes}. */
    String launcher();

    /** The local launcher's Python. */
    String python();

    /** The local launcher's folder holding {@code merlai_training}. */
    String dir();

    /** The local launcher's torch threads. */
    int threads();

    /** The kubernetes launcher's suspended template Job. */
    String jobTemplate();

    /** The kubernetes launcher's namespace. */
    String namespace();
}
