package dev.merlai.functions.recommend;

/** The data of a {@code dev.merlai.plugins.recommended} event. */
public class RecommendResult {
    public String tenant;
    public String job;
    /** The object key of the job's {@code plugins.json}. */
    public String file;
    /** The catalog version ranked against (0 when nothing could be ranked). */
    public long catalogVersion;
    /** Why there are no suggestions; absent when there are. render-midi then keeps every track's own program. */
    public String error;
}
