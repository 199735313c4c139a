package dev.merlai.music.io;

/**
 * How to read an input.
 *
 * @param limits     size limits
 * @param melodyPart the track (MIDI track name or index) or part (MusicXML part id or name) that holds the
 *                   melody; null to let the reader find it
 */
public record ReadOptions(ReadLimits limits, String melodyPart) {

    public static final ReadOptions DEFAULT = new ReadOptions(ReadLimits.DEFAULT, null);

    public ReadOptions {
        if (limits == null) throw new IllegalArgumentException("limits are required");
    }

    public ReadOptions withMelodyPart(String part) {
        return new ReadOptions(limits, part);
    }
}
