package dev.merlai.arranger.form;

import dev.merlai.music.ChordSpan;
import dev.merlai.music.KeySignature;
import dev.merlai.music.MeterMap;
import dev.merlai.music.Note;
import dev.merlai.music.PedalSpan;
import dev.merlai.music.Score;
import dev.merlai.music.TempoMap;
import dev.merlai.music.TimeSignature;
import dev.merlai.music.Track;

import java.util.ArrayList;
import java.util.List;

/** Makes room for an intro the input has no time for: the whole song moves later by whole bars. */
public final class Intro {

    private Intro() {
    }

    /** A score moved later, and by how many ticks. */
    public record Moved(Score score, long ticks) {
    }

    /**
     * The score with {@code bars} bars of its first time signature before its old bar 1, its old bar {@code n} now
     * bar {@code n + bars}. A pickup lands at the end of the last new bar (the new meter has none), so every bar line
     * stays where the music has it. Tempo, meter and key at the start stay at tick 0; later changes move along.
     */
    public static Moved moveLater(Score score, int bars) {
        if (bars == 0) return new Moved(score, 0);
        MeterMap meter = score.meter();
        long ticks = bars * meter.changes().get(0).barTicks() - meter.pickup();
        List<TimeSignature> signatures = new ArrayList<>();
        for (TimeSignature signature : meter.changes()) {
            signatures.add(signature.tick() == 0 ? signature : new TimeSignature(signature.tick() + ticks, signature.numerator(), signature.denominator()));
        }
        List<TempoMap.Change> tempos = new ArrayList<>();
        for (TempoMap.Change change : score.tempo().changes()) {
            tempos.add(change.tick() == 0 ? change : new TempoMap.Change(change.tick() + ticks, change.microsPerQuarter()));
        }
        List<KeySignature> keys = new ArrayList<>();
        for (KeySignature key : score.keys()) keys.add(key.tick() == 0 ? key : new KeySignature(key.tick() + ticks, key.tonic(), key.mode()));
        List<ChordSpan> chords = new ArrayList<>();
        for (ChordSpan chord : score.chords()) chords.add(new ChordSpan(chord.onset() + ticks, chord.duration(), chord.chord()));
        List<Track> tracks = new ArrayList<>();
        for (Track track : score.tracks()) {
            List<Note> notes = new ArrayList<>();
            for (Note note : track.notes()) notes.add(new Note(note.pitch(), note.velocity(), note.onset() + ticks, note.duration()));
            List<PedalSpan> sustain = new ArrayList<>();
            for (PedalSpan pedal : track.sustain()) sustain.add(new PedalSpan(pedal.onset() + ticks, pedal.duration()));
            tracks.add(new Track(track.name(), track.role(), track.program(), track.channel(), notes, sustain));
        }
        return new Moved(new Score(new TempoMap(tempos), new MeterMap(signatures, 0), keys, chords, tracks), ticks);
    }
}
