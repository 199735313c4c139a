package dev.merlai.music;

/**
 * One sounding note.
 *
 * @param pitch    MIDI key number, 0..127 (60 = middle C)
 * @param velocity MIDI velocity, 1..127
 * @param onset    start, in ticks at {@link Score#TICKS_PER_QUARTER} since the start of the score
 * @param duration length in ticks, at least 1
 */
public record Note(int pitch, int velocity, long onset, long duration) {

    public Note {
        if (pitch < 0 || pitch > 127) throw new IllegalArgumentException("pitch must be 0..127, was " + pitch);
        if (velocity < 1 || velocity > 127) throw new IllegalArgumentException("velocity must be 1..127, was " + velocity);
        if (onset < 0) throw new IllegalArgumentException("onset must be >= 0, was " + onset);
        if (duration < 1) throw new IllegalArgumentException("duration must be >= 1 tick, was " + duration);
    }

    /** The first tick after the note, in ticks. */
    public long end() {
        return onset + duration;
    }

    public boolean soundsAt(long tick) {
        return tick >= onset && tick < end();
    }

    public Note withDuration(long newDuration) {
        return new Note(pitch, velocity, onset, newDuration);
    }

    public Note withPitch(int newPitch) {
        return new Note(newPitch, velocity, onset, duration);
    }
}
