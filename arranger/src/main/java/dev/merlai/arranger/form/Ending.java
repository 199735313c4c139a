package dev.merlai.arranger.form;

import dev.merlai.music.Bar;
import dev.merlai.music.Chord;
import dev.merlai.music.ChordSpan;
import dev.merlai.music.KeySignature;
import dev.merlai.music.Note;

import java.util.ArrayList;
import java.util.List;

/**
 * The ending after the last melody note: a bar on the dominant, played by the texture model, then the tonic held for
 * a whole bar (a perfect cadence and a held final chord).
 *
 * @param cadenceBar the bar on the dominant
 * @param finalBar   the bar that holds the final chord
 * @param dominant   the chord of the cadence bar
 * @param tonic      the final chord
 */
public record Ending(Bar cadenceBar, Bar finalBar, Chord dominant, Chord tonic) {

    /** Bars the ending takes after the melody's last bar. */
    public static final int BARS = 2;
    /** The final chord's bass lies in this octave (MIDI pitches from here up), its other notes just above it. */
    private static final int BASS_FROM = 36;
    private static final int CHORD_FROM = 55;
    private static final int VELOCITY = 64;

    /** The ending in {@code key}: V (major, as the harmonic minor has it) then I. */
    public static Ending in(KeySignature key, Bar cadenceBar, Bar finalBar) {
        String tonicQuality = key.mode() == KeySignature.Mode.MINOR ? "min" : "maj";
        return new Ending(cadenceBar, finalBar, Chord.of((key.tonic() + 7) % 12, "maj"), Chord.of(key.tonic(), tonicQuality));
    }

    /** The chords with those of the ending in its bars (any chord sounding there is cut at the cadence). */
    public List<ChordSpan> withCadence(List<ChordSpan> chords) {
        List<ChordSpan> result = new ArrayList<>();
        for (ChordSpan span : chords) {
            if (span.onset() >= cadenceBar.start()) continue;
            long end = Math.min(span.end(), cadenceBar.start());
            result.add(end == span.end() ? span : new ChordSpan(span.onset(), end - span.onset(), span.chord()));
        }
        result.add(new ChordSpan(cadenceBar.start(), cadenceBar.length(), dominant));
        result.add(new ChordSpan(finalBar.start(), finalBar.length(), tonic));
        return result;
    }

    /** The final chord, held for the whole final bar: the root in the bass, the triad above it. */
    public List<Note> finalChord() {
        List<Note> notes = new ArrayList<>();
        notes.add(new Note(BASS_FROM + Math.floorMod(tonic.root() - BASS_FROM, 12), VELOCITY, finalBar.start(), finalBar.length()));
        for (int pc : tonic.pitchClasses()) notes.add(new Note(CHORD_FROM + Math.floorMod(pc - CHORD_FROM, 12), VELOCITY, finalBar.start(), finalBar.length()));
        return notes;
    }

    @Override
    public String toString() {
        return "bars " + cadenceBar.number() + "-" + finalBar.number() + ", " + dominant.label() + " to " + tonic.label();
    }
}
