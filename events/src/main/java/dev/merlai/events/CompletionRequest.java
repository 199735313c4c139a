package dev.merlai.events;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A request to complete a melody: where the melody is (an object in the tenant's inbox, or inline notes)
 * and the same options as {@code merlai complete}. It is the data of a {@link EventTypes#MELODY_UPLOADED} event (an
 * upload's: {@code tenant} and {@code key}, see {@link #upload}) and the body of {@code POST /v1/completions} and of
 * each song of a batch. Written without the options left out.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public class CompletionRequest {
    /**
     * The tenant; its objects live under {@code tenants/<tenant>/}. Over HTTP the API key decides it (a different one
     * here is refused); in an upload event it is the inbox's tenant.
     */
    public String tenant;
    /** The melody as an object key under {@code tenants/<tenant>/}, e.g. {@code tenants/demo/inbox/song.mid}. */
    public String key;
    /** Or the melody inline, in Merlai's JSON note format. */
    public JsonNode score;
    /** Random seed; default 1. */
    public Long seed;
    /** {@code pop} (default) or {@code lied}. */
    public String style;
    /** Bars to regenerate, {@code A-B}; default: every bar without accompaniment. */
    public String bars;
    /**
     * Chords for some bars, kept exactly, e.g. {@code 1-8: C G Am F | 17: F} (Harte or common names); the model fills the
     * other bars. Over the input's own chord labels in those bars.
     */
    public String chords;
    /** Bars whose chords the model chooses anew, other than its first choice, {@code A-B} (seeded by {@code seed}). */
    public String reharmonize;
    /** 0.1..2, default 1. */
    public Double temperature;
    /** 0..1, default 0.5. */
    public Double density;
    /** 0..1: where the melody repeats a bar, 0 repeats its accompaniment exactly, 1 invents it anew; default: what POP909's arrangers do. */
    public Double variation;
    /** Bars of intro before the melody, 0..16, moving the whole song that many bars later; default 0 (the melody stays where it is). */
    public Integer intro;
    /** False: no ending after the last melody note (for loops); default true. */
    public Boolean ending;
    /** Drums: {@code none} or a drum style ({@code pop}, {@code rock}, {@code funk}, ...); default: pop drums for pop, none for lied. */
    public String drums;
    /** 0..1: the generated parts' learned feel (velocities, micro-timing); 0 = on the grid at even velocities; default 1. */
    public Double humanize;
    /** A personalised model of the tenant ({@code tenants/<tenant>/models/<model>/}); default: the shipped base model. */
    public String model;
    /** Also return the arrangement itself in the answer (synchronous use over HTTP). */
    public boolean inline;

    /** Prefix of the S3 user metadata that carries options with an upload: {@code x-amz-meta-merlai-style: lied}. */
    public static final String UPLOAD_OPTION_PREFIX = "merlai-";

    /** What an upload notification says: which object of which tenant's inbox; its options travel as its metadata. */
    public static CompletionRequest upload(String tenant, String key) {
        CompletionRequest request = new CompletionRequest();
        request.tenant = tenant;
        request.key = key;
        return request;
    }

    /**
     * Fills the options this request leaves out from the uploaded object's user metadata ({@code merlai-seed},
     * {@code merlai-style}, {@code merlai-bars}, {@code merlai-temperature}, {@code merlai-density}, {@code merlai-variation},
     * {@code merlai-intro}, {@code merlai-ending}, {@code merlai-drums}, {@code merlai-humanize}, {@code merlai-model}):
     * a melody dropped into the bucket chooses its options the way an API call does. What the request says wins.
     *
     * @throws IllegalArgumentException naming the metadata field when a number does not parse
     */
    public void fillFromUpload(java.util.Map<String, String> metadata) {
        if (seed == null) seed = uploadNumber(metadata, "seed", Long::parseLong);
        if (temperature == null) temperature = uploadNumber(metadata, "temperature", Double::parseDouble);
        if (density == null) density = uploadNumber(metadata, "density", Double::parseDouble);
        if (variation == null) variation = uploadNumber(metadata, "variation", Double::parseDouble);
        if (humanize == null) humanize = uploadNumber(metadata, "humanize", Double::parseDouble);
        if (intro == null) intro = uploadNumber(metadata, "intro", Integer::parseInt);
        if (style == null) style = metadata.get(UPLOAD_OPTION_PREFIX + "style");
        if (bars == null) bars = metadata.get(UPLOAD_OPTION_PREFIX + "bars");
        if (drums == null) drums = metadata.get(UPLOAD_OPTION_PREFIX + "drums");
        if (model == null) model = metadata.get(UPLOAD_OPTION_PREFIX + "model");
        String endingText = metadata.get(UPLOAD_OPTION_PREFIX + "ending");
        if (ending == null && endingText != null) {
            if (!endingText.trim().equalsIgnoreCase("true") && !endingText.trim().equalsIgnoreCase("false")) {
                throw new IllegalArgumentException("x-amz-meta-" + UPLOAD_OPTION_PREFIX + "ending must be true or false, was '" + endingText + "'");
            }
            ending = Boolean.parseBoolean(endingText.trim());
        }
    }

    /** The upload's {@code merlai-<field>} number, or null when the upload does not set it. */
    private static <T> T uploadNumber(java.util.Map<String, String> metadata, String field, java.util.function.Function<String, T> parse) {
        String text = metadata.get(UPLOAD_OPTION_PREFIX + field);
        if (text == null) return null;
        try {
            return parse.apply(text.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("x-amz-meta-" + UPLOAD_OPTION_PREFIX + field + " is not a number: '" + text + "'");
        }
    }
}
