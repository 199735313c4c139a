package dev.merlai.arranger;

import dev.merlai.music.Score;

/**
 * An arranged score and how it came about.
 *
 * @param score        the input's tracks kept note for note, plus the generated accompaniment and chord labels
 * @param meter        what was decided about bar lines (kept or inferred, and why)
 * @param key          the key used, e.g. {@code G:maj}, and whether it was given or estimated
 * @param generatedBars the bar numbers that were generated, e.g. {@code 1-32}
 * @param modelVersion the models that made it
 * @param millis       time spent arranging, in milliseconds
 */
public record Arrangement(Score score, String meter, String key, String generatedBars, String modelVersion, long millis) {
}
