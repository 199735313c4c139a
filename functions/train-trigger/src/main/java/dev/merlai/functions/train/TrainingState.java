package dev.merlai.functions.train;

import java.util.Locale;

/** Where a training job is; {@code done}, {@code failed} and {@code cancelled} are final. */
public enum TrainingState {
    QUEUED, TRAINING, DONE, FAILED, CANCELLED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static TrainingState fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }

    public boolean isActive() {
        return this == QUEUED || this == TRAINING;
    }
}
