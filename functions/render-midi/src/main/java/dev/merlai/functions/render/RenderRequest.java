package dev.merlai.functions.render;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.databind.JsonNode;

/** The data of a {@code dev.merlai.arrangement.completed} event; only the arrangement matters here. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class RenderRequest {
    /** The arrangement in Merlai's JSON note format. */
    public JsonNode arrangement;
}
