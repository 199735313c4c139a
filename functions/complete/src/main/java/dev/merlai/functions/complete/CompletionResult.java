package dev.merlai.functions.complete;

import com.fasterxml.jackson.databind.JsonNode;
import dev.merlai.arranger.harmony.ChordLayer;

import java.util.List;

/** The completed arrangement, as the data of a {@code dev.merlai.arrangement.completed} event. */
public class CompletionResult {
    public String tenant;
    /** The job id; also the event's subject. */
    public String job;
    /** Object keys of the results written so far. */
    public List<String> files;
    /** The arrangement in Merlai's JSON note format, when the request asked for it inline. */
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
    /**
     * Per 8-bar phrase whose chords the model chose: the chosen progression, then the two next-best, each with its
     * probability and in the syntax of {@code chords} (pass one back as {@code chords} to take it).
     */
    public List<ChordLayer.Spelled> chordAlternatives;
    /** The style it was arranged in ({@code pop}, {@code lied}); recommend-plugin suggests instruments for it. */
    public String style;
    /** The seed used. */
    public long seed;
    /** Bars arranged and billed for this job (0 when the job had already been done and billed). */
    public long bars;
    /** Time spent arranging, in milliseconds (for a cached arrangement the time it took when made; 0 when the job had already been done). */
    public long millis;
}
