package dev.merlai.testing;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * Prometheus's own linter ({@code promtool check metrics}, Debian package {@code prometheus}) over a scrape of
 * {@code /q/metrics}: what a Prometheus operator runs before trusting the metrics.
 */
public final class Promtool {

    /**
     * The Accept header for the exposition format promtool reads (text 0.0.4). Without it Quarkus answers in
     * OpenMetrics, which Prometheus also scrapes but promtool cannot parse.
     */
    public static final String TEXT_FORMAT = "text/plain; version=0.0.4";

    /** What promtool said: exit code 0 when the metrics pass, and its findings. */
    public record Lint(int exitCode, String output) {
    }

    private Promtool() {
    }

    /**
     * Fails (AssertionError) unless the scrape has the histogram {@code family} with buckets and a HELP line, and
     * promtool finds nothing to say about the whole scrape.
     */
    public static void assertLintsCleanWithHistogram(String metrics, String family) throws IOException, InterruptedException {
        if (!metrics.contains("# TYPE " + family + " histogram\n") || !metrics.contains(family + "_bucket{")) {
            throw new AssertionError(family + " is not a histogram with buckets in:\n" + metrics);
        }
        if (!Pattern.compile("(?m)^# HELP " + Pattern.quote(family) + " \\S").matcher(metrics).find()) {
            throw new AssertionError(family + " has no HELP text");
        }
        Lint lint = checkMetrics(metrics);
        if (lint.exitCode() != 0) throw new AssertionError("promtool check metrics exited " + lint.exitCode() + ":\n" + lint.output());
    }

    /** Lints the metrics text (Prometheus exposition format). */
    public static Lint checkMetrics(String metrics) throws IOException, InterruptedException {
        Process promtool = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = promtool.getOutputStream()) {
            in.write(metrics.getBytes(StandardCharsets.UTF_8));
        }
        String output = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!promtool.waitFor(60, TimeUnit.SECONDS)) {
            promtool.destroyForcibly();
            throw new IOException("promtool did not finish in 60 s");
        }
        return new Lint(promtool.exitValue(), output);
    }
}
