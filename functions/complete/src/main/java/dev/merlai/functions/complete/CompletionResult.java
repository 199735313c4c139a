package dev.merlai.functions.complete;

import com.fasterxml.jackson.databind.JsonNode;

/** The completed arrangement, as the data of a {@code dev.merlai.arrangement.completed} event. */
public class CompletionResult {
    /** The arrangement in Merlai's JSON note format. */
    public JsonNode arrangement;
    /** The models that made it. */
    public String modelVersion;
    /** Which track was taken as the melody, and why. */
    public String melody;
    /** The bar lines followed: kept from the input or inferred, and why. */
    public String meter;
    /** The key used and whether it was given. */
    public String key;
    /** The bars that were generated, e.g. {@code 1-16}. */
    public String generatedBars;
    /** The seed used. */
    public long seed;
    /** Time spent arranging, in milliseconds. */
    public long millis;
}
