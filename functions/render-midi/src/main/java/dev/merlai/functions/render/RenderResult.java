package dev.merlai.functions.render;

/** What was rendered, as the data of a {@code dev.merlai.render.completed} event. */
public class RenderResult {
    /** The Standard MIDI File (type 1, named tracks, GM programs, tempo and meter maps, CHORDS markers), base64. */
    public String midiBase64;
    /** Tracks written, the CHORDS track included. */
    public int tracks;
    /** Notes written. */
    public int notes;
    /** Length of the music, in seconds. */
    public double seconds;
}
