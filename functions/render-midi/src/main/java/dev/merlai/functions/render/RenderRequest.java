package dev.merlai.functions.render;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** The data of a {@code dev.merlai.plugins.recommended} event: which job's arrangement to render. */
@JsonIgnoreProperties(ignoreUnknown = true)
public class RenderRequest {
    public String tenant;
    public String job;
}
