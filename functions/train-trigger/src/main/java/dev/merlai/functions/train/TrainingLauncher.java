package dev.merlai.functions.train;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * Runs the fine-tuning of one job somewhere: a process on this machine ({@link LocalProcessLauncher}) or a
 * Kubernetes Job ({@link KubernetesJobLauncher}), chosen by {@code merlai.training.launcher}. Either way the training
 * code reads the accepted pieces from {@code tenants/<tenant>/models/<model>/pieces/}, prints one JSON line per event
 * ({@code merlai_training finetune}) and the model ends up in {@code tenants/<tenant>/models/<model>/}.
 */
public interface TrainingLauncher {

    /** {@code local} or {@code kubernetes}: recorded with the job. */
    String name();

    /** Starts the training; every line it prints goes to {@code lines}, on a thread of the launcher's. */
    Run start(TrainingJob job, Consumer<String> lines) throws IOException;

    /** One started training. */
    interface Run {
        /** Waits for the end; 0 when the model's files are in place. */
        int awaitExit() throws InterruptedException;

        /** Stops the training and what it started. */
        void cancel();
    }
}
