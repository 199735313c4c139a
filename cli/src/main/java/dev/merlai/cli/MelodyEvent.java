package dev.merlai.cli;

import dev.merlai.music.Note;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** A melody note starting or ending, as a replay plays it into the live engine or the live API. */
record MelodyEvent(long tick, boolean on, int pitch, int velocity) {

    /** The melody's note-ons and note-offs in time order; at the same tick offs first, so a repeated pitch sounds again. */
    static List<MelodyEvent> timeline(List<Note> melody) {
        List<MelodyEvent> events = new ArrayList<>();
        for (Note note : melody) {
            events.add(new MelodyEvent(note.onset(), true, note.pitch(), note.velocity()));
            events.add(new MelodyEvent(note.end(), false, note.pitch(), 0));
        }
        events.sort(Comparator.comparingLong(MelodyEvent::tick).thenComparing(MelodyEvent::on));
        return events;
    }
}
