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
    /** The song's form heard from its melody, e.g. {@code A(1-8) A(9-16) B(17-24) A'(25-32)}. */
    public String form;
    /** The intro, e.g. {@code bars 1-4 (the melody moved 4 bars later)}, or {@code none}. */
    public String intro;
    /** Ticks (480 per quarter) the whole song was moved later to make room for the asked-for intro; 0 when not moved. */
    public long movedTicks;
    /** The ending, e.g. {@code bars 17-18, G:maj to C:maj}, or {@code none}. */
    public String ending;
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
