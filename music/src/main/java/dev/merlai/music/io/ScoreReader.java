package dev.merlai.music.io;

/** Turns the bytes of one format into a score. */
public interface ScoreReader {

    /** Reads a whole input; bad input gives a {@link ScoreReadException}, never an unchecked exception. */
    ReadResult read(byte[] data, ReadOptions options) throws ScoreReadException;
}
