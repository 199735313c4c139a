package dev.merlai.plugins;

import dev.merlai.music.Note;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.Track;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What a track asks of an instrument: its role, register, how busy it is, how long its notes are, whether it plays
 * chords, the tempo and the style of the song.
 *
 * @param role         melody, counter-melody, piano, bass or drums (a track of role OTHER is read as a counter-melody
 *                     when it plays single notes and as a piano part when it plays chords)
 * @param medianPitch  the median MIDI pitch
 * @param notesPerBeat onsets (a chord counts once) per quarter note over the track's span
 * @param meanBeats    mean note length in quarter notes
 * @param chordal      true when at least a third of its onsets are chords
 * @param tempoBpm     quarter notes per minute where the track starts
 * @param style        the song's style (pop, lied, jazz, ...), lower case
 */
public record TrackProfile(String role, int medianPitch, double notesPerBeat, double meanBeats, boolean chordal, double tempoBpm, String style) {

    public enum Articulation {
        /** Busy or short notes: wants a quick attack (piano, plucked, percussive sounds). */
        QUICK,
        /** Long notes: wants a sound that holds (strings, pads, organ, winds). */
        SUSTAINED,
        MIXED
    }

    public TrackProfile {
        style = style == null ? "pop" : style.toLowerCase(Locale.ROOT);
    }

    /** The profile of a track of the score, or empty for tracks with nothing to play (chord labels, no notes). */
    public static Optional<TrackProfile> of(Score score, Track track, String style) {
        if (track.notes().isEmpty() || track.role() == Role.CHORDS) return Optional.empty();
        int[] pitches = track.notes().stream().mapToInt(Note::pitch).sorted().toArray();
        Map<Long, Integer> onsets = new TreeMap<>();
        long first = Long.MAX_VALUE, last = 0, totalDuration = 0;
        for (Note note : track.notes()) {
            onsets.merge(note.onset(), 1, Integer::sum);
            first = Math.min(first, note.onset());
            last = Math.max(last, note.end());
            totalDuration += note.duration();
        }
        double spanBeats = Math.max(1.0, (last - first) / (double) Score.TICKS_PER_QUARTER);
        long chords = onsets.values().stream().filter(n -> n >= 2).count();
        boolean chordal = chords * 3 >= onsets.size();
        String role = switch (track.role()) {
            case DRUMS -> "drums";
            case MELODY -> "melody";
            case BASS -> "bass";
            case PIANO -> "piano";
            case COUNTER_MELODY -> "counter-melody";
            default -> track.channel() == Track.DRUM_CHANNEL ? "drums" : chordal ? "piano" : "counter-melody";
        };
        return Optional.of(new TrackProfile(role, pitches[pitches.length / 2], onsets.size() / spanBeats,
                totalDuration / (double) track.notes().size() / Score.TICKS_PER_QUARTER, chordal, score.tempo().changeAt(first).bpm(), style));
    }

    /** low below C3 (48), high above C5 (72), mid between. */
    public String register() {
        return medianPitch < 48 ? "low" : medianPitch > 72 ? "high" : "mid";
    }

    public Articulation articulation() {
        if (notesPerBeat > 2 || meanBeats < 0.4 || (tempoBpm >= 150 && meanBeats < 0.75)) return Articulation.QUICK;
        if (meanBeats >= 1.5 || (notesPerBeat < 0.75 && meanBeats >= 0.9) || (tempoBpm <= 70 && meanBeats >= 1.0)) return Articulation.SUSTAINED;
        return Articulation.MIXED;
    }

    /** A note name such as {@code E2} for the median pitch. */
    public String medianNoteName() {
        String[] names = {"C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"};
        return names[medianPitch % 12] + (medianPitch / 12 - 1);
    }
}
