package dev.merlai.arranger.assembly;

import dev.merlai.arranger.Style;
import dev.merlai.arranger.grid.MetricGrid;
import dev.merlai.arranger.texture.BarPlan;
import dev.merlai.music.ChordSpan;
import dev.merlai.music.KeySignature;
import dev.merlai.music.Note;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.Track;
import dev.merlai.music.theory.KeyFinder;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;

/**
 * The assembly stage: the input's tracks (their accompaniment without the bars the plan writes) plus the
 * generated parts as tracks. New tracks take free channels (never the drums'), and the style's programs; the score
 * gets the chords and the key its names are spelled in.
 */
public final class Assembler {

    private static final int BASS_PROGRAM = 33;
    private static final int COUNTER_MELODY_PROGRAM = 73;

    private Assembler() {
    }

    /**
     * The arranged score. {@code generated} holds the played notes per role: {@link Role#PIANO}, {@link Role#BASS}
     * (split off the piano part before it was played: {@link BassSplit}) and {@link Role#COUNTER_MELODY}; a role
     * already among the input's tracks gets the new notes merged into that track.
     */
    public static Score assemble(Score score, MetricGrid grid, BarPlan plan, Map<Role, List<Note>> generated,
                                 List<ChordSpan> chords, KeyFinder.Decision key, Style style) {
        List<Track> tracks = new ArrayList<>();
        boolean[] usedChannels = new boolean[16];
        usedChannels[Track.DRUM_CHANNEL] = true;
        for (Track track : score.tracks()) {
            usedChannels[track.channel()] = true;
            tracks.add(track.role().isAccompaniment() ? withoutWrittenBars(track, grid, plan) : track);
        }
        boolean pop = style == Style.POP;
        addGenerated(tracks, Role.PIANO, inTimeOrder(generated.getOrDefault(Role.PIANO, List.of())), 0, usedChannels);
        addGenerated(tracks, Role.BASS, inTimeOrder(generated.getOrDefault(Role.BASS, List.of())), pop ? BASS_PROGRAM : 0, usedChannels);
        addGenerated(tracks, Role.COUNTER_MELODY, generated.getOrDefault(Role.COUNTER_MELODY, List.of()), pop ? COUNTER_MELODY_PROGRAM : 0, usedChannels);
        // the file's keys when they fit the music, else the one the notes show, so that every name is spelled in it
        List<KeySignature> keys = key.fromFile() ? score.keys() : List.of(key.key());
        return new Score(score.tempo(), score.meter(), keys, chords, tracks);
    }

    /**
     * The notes by onset, then pitch: a MIDI file lists the notes struck at one tick in their track's order, and the
     * piano's and the bass's tracks have always listed them so.
     */
    private static List<Note> inTimeOrder(List<Note> notes) {
        List<Note> sorted = new ArrayList<>(notes);
        sorted.sort(Comparator.comparingLong(Note::onset).thenComparingInt(Note::pitch));
        return sorted;
    }

    private static Track withoutWrittenBars(Track track, MetricGrid grid, BarPlan plan) {
        List<Note> kept = new ArrayList<>();
        for (Note note : track.notes()) if (!plan.writesStep(grid.nearestStep(note.onset()))) kept.add(note);
        return track.withNotes(kept);
    }

    private static void addGenerated(List<Track> tracks, Role role, List<Note> notes, int program, boolean[] usedChannels) {
        if (notes.isEmpty()) return;
        for (int i = 0; i < tracks.size(); i++) {
            Track track = tracks.get(i);
            if (track.role() == role) {
                List<Note> merged = new ArrayList<>(track.notes());
                merged.addAll(notes);
                tracks.set(i, track.withNotes(merged));
                return;
            }
        }
        int channel = 0;
        while (channel < 16 && usedChannels[channel]) channel++;
        if (channel == 16) channel = 15;
        usedChannels[channel] = true;
        tracks.add(new Track(role.trackName(), role, program, channel, notes));
    }
}
