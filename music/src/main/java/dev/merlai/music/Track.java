package dev.merlai.music;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * One instrument line.
 *
 * @param name    the track name as read or written (MIDI track name, MusicXML part name)
 * @param role    what the track does
 * @param program General MIDI program, 0..127 (0 = acoustic grand piano); ignored for drums
 * @param channel MIDI channel, 0..15 (9 is the General MIDI drum channel)
 * @param notes   the notes, sorted by onset, then pitch
 * @param sustain sustain-pedal spans, sorted by onset
 */
public record Track(String name, Role role, int program, int channel, List<Note> notes, List<PedalSpan> sustain) {

    public static final int DRUM_CHANNEL = 9;

    private static final Comparator<Note> NOTE_ORDER =
            Comparator.comparingLong(Note::onset).thenComparingInt(Note::pitch).thenComparingLong(Note::duration);

    public Track {
        if (name == null) throw new IllegalArgumentException("track name is required");
        if (role == null) throw new IllegalArgumentException("track role is required");
        if (program < 0 || program > 127) throw new IllegalArgumentException("program must be 0..127, was " + program);
        if (channel < 0 || channel > 15) throw new IllegalArgumentException("channel must be 0..15, was " + channel);
        List<Note> sorted = new ArrayList<>(notes);
        sorted.sort(NOTE_ORDER);
        notes = List.copyOf(sorted);
        List<PedalSpan> pedal = new ArrayList<>(sustain);
        pedal.sort(Comparator.comparingLong(PedalSpan::onset));
        sustain = List.copyOf(pedal);
    }

    public Track(String name, Role role, int program, int channel, List<Note> notes) {
        this(name, role, program, channel, notes, List.of());
    }

    public Track withNotes(List<Note> newNotes) {
        return new Track(name, role, program, channel, newNotes, sustain);
    }

    public Track withRole(Role newRole, String newName) {
        return new Track(newName, newRole, program, channel, notes, sustain);
    }

    public Track withChannel(int newChannel) {
        return new Track(name, role, program, newChannel, notes, sustain);
    }

    public Track withProgram(int newProgram) {
        return new Track(name, role, newProgram, channel, notes, sustain);
    }

    /** The first tick after the last note or pedal span, in ticks; 0 when empty. */
    public long endTick() {
        long end = 0;
        for (Note note : notes) end = Math.max(end, note.end());
        for (PedalSpan span : sustain) end = Math.max(end, span.end());
        return end;
    }

    /** The notes that start in [from, to), in ticks. */
    public List<Note> notesStartingIn(long from, long to) {
        List<Note> result = new ArrayList<>();
        for (Note note : notes) {
            if (note.onset() >= to) break;
            if (note.onset() >= from) result.add(note);
        }
        return result;
    }
}
