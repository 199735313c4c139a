package dev.merlai.functions.complete;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * A request to complete a melody: where the melody is (an object in the tenant's inbox, or inline notes)
 * and the same options as {@code merlai complete}. This is also the data of a
 * {@code dev.merlai.melody.uploaded} event ({@code tenant} and {@code key}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
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
    /** 0.1..2, default 1. */
    public Double temperature;
    /** 0..1, default 0.5. */
    public Double density;
    /** A personalised model of the tenant ({@code tenants/<tenant>/models/<model>/}); default: the shipped base model. */
    public String model;
    /** Also return the arrangement itself in the answer (synchronous use over HTTP). */
    public boolean inline;
}
