package dev.merlai.music;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * A piece of music: Merlai's one data model. Every reader produces one, every writer, model and renderer
 * consumes one. Immutable; the {@code with...} methods return changed copies.
 *
 * <p>All times are in ticks at {@link #TICKS_PER_QUARTER} ticks per quarter note, whatever the resolution
 * of the file it was read from.
 *
 * @param tempo  the tempo map (ticks to seconds)
 * @param meter  the meter map (ticks to bars and beats)
 * @param keys   key changes, sorted by tick; may be empty when the key is unknown
 * @param chords chord labels, sorted by onset, not overlapping
 * @param tracks the tracks, in order; at most one has {@link Role#MELODY}
 */
public record Score(TempoMap tempo, MeterMap meter, List<KeySignature> keys, List<ChordSpan> chords, List<Track> tracks) {

    /** The fixed resolution of every tick in the model. Divisible by 2, 3, 4, 5, 6, 8, 10, 12, 16 and 32. */
    public static final int TICKS_PER_QUARTER = 480;

    public Score {
        if (tempo == null || meter == null) throw new IllegalArgumentException("tempo and meter maps are required");
        List<KeySignature> sortedKeys = new ArrayList<>(keys);
        sortedKeys.sort(Comparator.comparingLong(KeySignature::tick));
        keys = List.copyOf(sortedKeys);
        List<ChordSpan> sortedChords = new ArrayList<>(chords);
        sortedChords.sort(Comparator.comparingLong(ChordSpan::onset));
        for (int i = 1; i < sortedChords.size(); i++) {
            if (sortedChords.get(i).onset() < sortedChords.get(i - 1).end()) {
                throw new IllegalArgumentException("chord labels overlap at tick " + sortedChords.get(i).onset());
            }
        }
        chords = List.copyOf(sortedChords);
        tracks = List.copyOf(tracks);
        if (tracks.stream().filter(t -> t.role() == Role.MELODY).count() > 1) {
            throw new IllegalArgumentException("a score has at most one melody track");
        }
    }

    /** A score with no key, no chords and the given tracks, in 4/4 at 120 bpm. */
    public static Score of(List<Track> tracks) {
        return new Score(TempoMap.constant(120), MeterMap.of(4, 4), List.of(), List.of(), tracks);
    }

    public Optional<Track> melody() {
        return tracks.stream().filter(t -> t.role() == Role.MELODY).findFirst();
    }

    public List<Track> tracks(Role role) {
        return tracks.stream().filter(t -> t.role() == role).toList();
    }

    /** The first tick after the last note, pedal span or chord label; 0 for an empty score. */
    public long endTick() {
        long end = 0;
        for (Track track : tracks) end = Math.max(end, track.endTick());
        for (ChordSpan chord : chords) end = Math.max(end, chord.end());
        return end;
    }

    /** Length in seconds, following the tempo map. */
    public double durationSeconds() {
        return tempo.seconds(endTick());
    }

    public int noteCount() {
        return tracks.stream().mapToInt(t -> t.notes().size()).sum();
    }

    public Optional<KeySignature> keyAt(long tick) {
        KeySignature current = null;
        for (KeySignature key : keys) {
            if (key.tick() <= tick) current = key;
        }
        return Optional.ofNullable(current);
    }

    public Optional<ChordSpan> chordAt(long tick) {
        return ChordSpan.at(chords, tick);
    }

    public Score withTracks(List<Track> newTracks) {
        return new Score(tempo, meter, keys, chords, newTracks);
    }

    public Score withChords(List<ChordSpan> newChords) {
        return new Score(tempo, meter, keys, newChords, tracks);
    }

    public Score withKeys(List<KeySignature> newKeys) {
        return new Score(tempo, meter, newKeys, chords, tracks);
    }

    public Score withMeter(MeterMap newMeter) {
        return new Score(tempo, newMeter, keys, chords, tracks);
    }

    /** Converts a time at another resolution to model ticks, rounding to the nearest tick. */
    public static long ticksFrom(long time, int ticksPerQuarter) {
        if (ticksPerQuarter == TICKS_PER_QUARTER) return time;
        return Math.round(time * (double) TICKS_PER_QUARTER / ticksPerQuarter);
    }
}
