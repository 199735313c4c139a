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
 * generated parts as tracks. The piano's lowest notes become the bass line; new tracks take free channels
 * (never the drums'), and the style's programs; the score gets the chords and the key its names are spelled in.
 */
public final class Assembler {

    /** Below this a piano onset's lowest note is the bass when other notes sound with it... */
    static final int BASS_BELOW = 52;
    /** ...and below this even alone. */
    static final int BASS_ALONE_BELOW = 48;
    private static final int BASS_PROGRAM = 33;
    private static final int COUNTER_MELODY_PROGRAM = 73;

    private Assembler() {
    }

    /**
     * The arranged score. {@code generated} holds the played notes per role: {@link Role#PIANO} (its bass is
     * split off here) and {@link Role#COUNTER_MELODY}; a role already among the input's tracks gets the new notes
     * merged into that track.
     */
    public static Score assemble(Score score, MetricGrid grid, BarPlan plan, Map<Role, List<Note>> generated,
                                 List<ChordSpan> chords, KeyFinder.Decision key, Style style) {
        List<Note> piano = new ArrayList<>(generated.getOrDefault(Role.PIANO, List.of()));
        List<Note> bass = splitBass(piano);

        List<Track> tracks = new ArrayList<>();
        boolean[] usedChannels = new boolean[16];
        usedChannels[Track.DRUM_CHANNEL] = true;
        for (Track track : score.tracks()) {
            usedChannels[track.channel()] = true;
            tracks.add(track.role().isAccompaniment() ? withoutWrittenBars(track, grid, plan) : track);
        }
        boolean pop = style == Style.POP;
        addGenerated(tracks, Role.PIANO, piano, 0, usedChannels);
        addGenerated(tracks, Role.BASS, bass, pop ? BASS_PROGRAM : 0, usedChannels);
        addGenerated(tracks, Role.COUNTER_MELODY, generated.getOrDefault(Role.COUNTER_MELODY, List.of()), pop ? COUNTER_MELODY_PROGRAM : 0, usedChannels);
        // the file's keys when they fit the music, else the one the notes show, so that every name is spelled in it
        List<KeySignature> keys = key.fromFile() ? score.keys() : List.of(key.key());
        return new Score(score.tempo(), score.meter(), keys, chords, tracks);
    }

    /** Takes the lowest note of each piano onset out of the piano, when it is low enough, as the bass line. */
    private static List<Note> splitBass(List<Note> piano) {
        piano.sort(Comparator.comparingLong(Note::onset).thenComparingInt(Note::pitch));
        List<Note> keep = new ArrayList<>(), bass = new ArrayList<>();
        int i = 0;
        while (i < piano.size()) {
            int j = i;
            while (j < piano.size() && piano.get(j).onset() == piano.get(i).onset()) j++;
            Note lowest = piano.get(i);
            boolean bassNote = isBass(lowest.pitch(), j - i);
            if (bassNote) bass.add(lowest);
            for (int k = bassNote ? i + 1 : i; k < j; k++) keep.add(piano.get(k));
            i = j;
        }
        piano.clear();
        piano.addAll(keep);
        return bass;
    }

    /** Whether the lowest note of a piano onset of {@code notes} notes becomes the bass (the performer plays it as a line of its own). */
    public static boolean isBass(int lowestPitch, int notes) {
        return lowestPitch < BASS_BELOW && (notes > 1 || lowestPitch < BASS_ALONE_BELOW);
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
