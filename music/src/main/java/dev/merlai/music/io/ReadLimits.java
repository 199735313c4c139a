package dev.merlai.music.io;

/**
 * What a reader accepts at most, so a hostile or accidental huge input fails early and clearly.
 *
 * @param maxBytes           size of the encoded input, in bytes (for .mxl: also the unzipped size)
 * @param maxTracks          tracks (MIDI) or parts (MusicXML)
 * @param maxNotes           notes over all tracks
 * @param maxDurationSeconds length of the music, in seconds
 */
public record ReadLimits(long maxBytes, int maxTracks, int maxNotes, double maxDurationSeconds) {

    /** 8 MiB, 64 tracks, 200,000 notes, one hour. */
    public static final ReadLimits DEFAULT = new ReadLimits(8L << 20, 64, 200_000, 3600);

    public ReadLimits {
        if (maxBytes < 1 || maxTracks < 1 || maxNotes < 1 || maxDurationSeconds <= 0) {
            throw new IllegalArgumentException("read limits must be positive");
        }
    }

    public void checkBytes(long bytes) throws ScoreReadException {
        if (bytes > maxBytes) {
            throw new ScoreReadException(ScoreReadException.Kind.LIMIT_EXCEEDED, "",
                    "input is " + bytes + " bytes, more than the limit of " + maxBytes);
        }
    }

    public void checkTracks(int tracks) throws ScoreReadException {
        if (tracks > maxTracks) {
            throw new ScoreReadException(ScoreReadException.Kind.LIMIT_EXCEEDED, "",
                    "input has " + tracks + " tracks, more than the limit of " + maxTracks);
        }
    }

    public void checkNotes(int notes) throws ScoreReadException {
        if (notes > maxNotes) {
            throw new ScoreReadException(ScoreReadException.Kind.LIMIT_EXCEEDED, "",
                    "input has more than the limit of " + maxNotes + " notes");
        }
    }

    public void checkDuration(double seconds) throws ScoreReadException {
        if (seconds > maxDurationSeconds) {
            throw new ScoreReadException(ScoreReadException.Kind.LIMIT_EXCEEDED, "",
                    String.format("music lasts %.0f s, more than the limit of %.0f s", seconds, maxDurationSeconds));
        }
    }
}
