package dev.merlai.platform.metrics;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;

import java.time.Duration;

/**
 * How long Merlai's stages take, as Prometheus histograms ({@code <name>_seconds_bucket}, {@code _sum},
 * {@code _count}) with a HELP line: unlike a summary's quantiles, buckets add up across Knative replicas.
 */
public final class Durations {

    private Durations() {
    }

    /**
     * Registers (or finds) the timer {@code name}.
     *
     * @param name    Micrometer name, dotted ({@code merlai.arrange} is exported as {@code merlai_arrange_seconds})
     * @param help    what is timed, for the HELP line
     * @param longest about the longest time expected; the buckets run from 1 ms to this
     */
    public static Timer histogram(MeterRegistry registry, String name, String help, Duration longest) {
        return Timer.builder(name).description(help).publishPercentileHistogram()
                .minimumExpectedValue(Duration.ofMillis(1)).maximumExpectedValue(longest).register(registry);
    }
}
