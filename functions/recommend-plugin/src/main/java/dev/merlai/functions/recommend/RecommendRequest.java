package dev.merlai.functions.recommend;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The data of a {@code dev.merlai.arrangement.completed} event: which job's arrangement to suggest instruments for. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class RecommendRequest {
    public String tenant;
    public String job;
    /** The song's style (pop, lied, jazz, ...); the configured default when the event does not say. */
    public String style;
}
