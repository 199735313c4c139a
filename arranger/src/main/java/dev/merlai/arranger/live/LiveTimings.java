package dev.merlai.arranger.live;

import java.util.Collection;

/** Percentiles of the engine's timings, as the replay and the live API report them (milliseconds, to 1 µs). */
public final class LiveTimings {

    private LiveTimings() {
    }

    /** The nearest-rank percentile (0 when there are none); 100 is the largest. */
    public static double percentile(Collection<Double> millis, int percent) {
        return percentile(millis.stream().mapToDouble(Double::doubleValue).toArray(), percent);
    }

    public static double percentile(double[] millis, int percent) {
        if (millis.length == 0) return 0;
        double[] sorted = millis.clone();
        java.util.Arrays.sort(sorted);
        int index = Math.max(0, Math.min(sorted.length - 1, (int) Math.ceil(percent / 100.0 * sorted.length) - 1));
        return Math.round(sorted[index] * 1000) / 1000.0;
    }
}
