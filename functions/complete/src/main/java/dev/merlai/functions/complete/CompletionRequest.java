package dev.merlai.functions.complete;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A request to complete a melody: the melody as Merlai's JSON note format plus the same options as
 * {@code merlai complete}. Every option may be left out.
 */
public class CompletionRequest {
    /** The melody (and any accompaniment to keep), in Merlai's JSON note format. */
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
}
