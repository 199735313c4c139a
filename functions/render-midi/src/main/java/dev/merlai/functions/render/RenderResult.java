package dev.merlai.functions.render;

import java.util.List;

/** What was rendered, as the data of a {@code dev.merlai.render.completed} event. */
public class RenderResult {
    public String tenant;
    public String job;
    /** Object keys of every result of the job. */
    public List<String> files;
    /** Length of the audio preview, in seconds. */
    public double seconds;
}
