package dev.merlai.music.io;

/**
 * Input that cannot become a {@link dev.merlai.music.Score}: what is wrong and where.
 * Readers throw this and nothing else for bad input.
 */
public class ScoreReadException extends Exception {

    /** The kind of failure; stable, so APIs can map it to an error type. */
    public enum Kind {
        /** The bytes are not a valid file of the format (truncated, bad header, malformed XML or JSON). */
        CORRUPT,
        /** The format, or a feature of it, is not supported. */
        UNSUPPORTED,
        /** A configured limit (size, tracks, notes, duration) is exceeded. */
        LIMIT_EXCEEDED,
        /** The file is valid but has no melody Merlai can use. */
        NO_MELODY,
        /** A field has a wrong value (JSON input, option values). */
        INVALID_FIELD
    }

    private final Kind kind;
    private final String location;

    /**
     * @param location where, for a person: e.g. {@code track 2, byte 1234}, {@code part P1, measure 12},
     *                 {@code $.tracks[0].notes[3].pitch}; empty when it concerns the whole input
     */
    public ScoreReadException(Kind kind, String location, String message) {
        super(location == null || location.isEmpty() ? message : message + " (at " + location + ")");
        this.kind = kind;
        this.location = location == null ? "" : location;
    }

    public ScoreReadException(Kind kind, String location, String message, Throwable cause) {
        this(kind, location, message);
        initCause(cause);
    }

    public Kind kind() {
        return kind;
    }

    public String location() {
        return location;
    }
}
