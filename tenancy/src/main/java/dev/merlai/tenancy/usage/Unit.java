package dev.merlai.tenancy.usage;

import java.util.Arrays;
import java.util.stream.Collectors;

/** What Merlai bills, each recorded once per job. Ids are the names in plans, CSV and usage events. */
public enum Unit {
    /** Bars of the song that came back arranged ({@code complete}). */
    BARS("bars"),
    /** Seconds of audio preview rendered, rounded up ({@code render-midi}). */
    AUDIO_SECONDS("audio-seconds"),
    /** Minutes of personal-model training, rounded up ({@code train-trigger}). */
    TRAINING_MINUTES("training-minutes"),
    /** Minutes of live accompaniment played, each started minute whole ({@code live}). */
    LIVE_MINUTES("live-minutes");

    private final String id;

    Unit(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public static Unit fromId(String id) {
        return Arrays.stream(values()).filter(u -> u.id.equals(id)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no unit '" + id + "'; there are "
                        + Arrays.stream(values()).map(Unit::id).collect(Collectors.joining(", "))));
    }
}
