package dev.merlai.arranger.live;

/**
 * One thing the live engine sends, at a tick of the session's clock: a note-on or note-off on a MIDI channel, or
 * the chord that holds from this tick (its Harte label in {@code chord}, channel and pitch 0).
 */
public record LiveEvent(long tick, Type type, int channel, int pitch, int velocity, String chord) {

    public enum Type { ON, OFF, CHORD }

    static LiveEvent on(long tick, int channel, int pitch, int velocity) {
        return new LiveEvent(tick, Type.ON, channel, pitch, velocity, null);
    }

    static LiveEvent off(long tick, int channel, int pitch) {
        return new LiveEvent(tick, Type.OFF, channel, pitch, 0, null);
    }

    static LiveEvent chord(long tick, String label) {
        return new LiveEvent(tick, Type.CHORD, 0, 0, 0, label);
    }
}
