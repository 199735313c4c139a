package dev.merlai.storage;

import java.util.Locale;

/** Where a job is. {@code done} and {@code failed} are final. */
public enum JobState {
    QUEUED, COMPLETING, RENDERING, DONE, FAILED;

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static JobState fromId(String id) {
        return valueOf(id.toUpperCase(Locale.ROOT));
    }
}
