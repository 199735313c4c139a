package dev.merlai.functions.complete;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** The bounds on what a completion reads, {@code merlai.input.*}: past them an input is refused before it is arranged. */
@ConfigMapping(prefix = "merlai.input")
public interface InputLimits {

    /** The largest input object read, in bytes (a larger one is a 413 before it is read). */
    @WithDefault("8388608")
    long maxBytes();

    @WithDefault("20000")
    int maxNotes();

    /** Characters per track name. */
    @WithDefault("200")
    int maxNameLength();
}
