package dev.merlai.music.midi;

import dev.merlai.music.Chord;
import dev.merlai.music.ChordSpan;
import dev.merlai.music.KeySignature;
import dev.merlai.music.MeterMap;
import dev.merlai.music.Note;
import dev.merlai.music.PedalSpan;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.TempoMap;
import dev.merlai.music.TimeSignature;
import dev.merlai.music.Track;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.ReadResult;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@link MidiWriter} writes, {@link MidiReader} reads back as the same score. */
class MidiRoundTripTest {

    private final MidiReader reader = new MidiReader();
    private final MidiWriter writer = new MidiWriter();

    private Score roundTrip(Score score) throws Exception {
        return reader.read(writer.write(score), ReadOptions.DEFAULT).score();
    }

    @ParameterizedTest
    @ValueSource(strings = {"pop909-098.mid", "pop909-331.mid", "pop909-771.mid"})
    void aPop909SongSurvivesReadWriteRead(String file) throws Exception {
        ReadResult first = reader.read(MidiReaderTest.resource(file), ReadOptions.DEFAULT);
        Score score = first.score();
        assertEquals("track 1 \"MELODY\" (named like a melody)", first.melodyChoice());
        assertEquals(List.of("MELODY", "BRIDGE", "PIANO"), score.tracks().stream().map(Track::name).toList());
        assertEquals(List.of(Role.MELODY, Role.COUNTER_MELODY, Role.PIANO), score.tracks().stream().map(Track::role).toList());
        assertEquals(List.of(0, 1, 2), score.tracks().stream().map(Track::channel).toList());
        assertTrue(score.noteCount() > 50);
        assertEquals(score, roundTrip(score));
    }

    @Test
    void aPickupIsWrittenAsAShortFirstBarAndReadBackAsAPickup() throws Exception {
        MeterMap meter = new MeterMap(List.of(new TimeSignature(0, 3, 4), new TimeSignature(240 + 1440 * 4, 6, 8)), 240);
        Score score = Score.of(List.of(new Track("MELODY", Role.MELODY, 0, 0, List.of(new Note(67, 80, 0, 240)))))
                .withMeter(meter);
        assertEquals(new TimeSignature(0, 1, 8), MidiWriter.pickupSignature(240).orElseThrow());
        assertEquals(meter, roundTrip(score).meter());
    }

    /** POP909 771: Merlai hears the first downbeat at tick 285; DAWs must draw the bar lines there, not at 0. */
    @Test
    void aPickupOffThe64thGridPutsTheBarLinesOnTheInferredDownbeat() throws Exception {
        MeterMap meter = new MeterMap(List.of(new TimeSignature(0, 4, 4)), 285);
        Score score = Score.of(List.of(new Track("MELODY", Role.MELODY, 0, 0, List.of(new Note(67, 80, 45, 240)))))
                .withMeter(meter).withChords(List.of(new ChordSpan(285, 1920, Chord.parse("C#:maj"))));
        assertEquals(new TimeSignature(0, 19, 128), MidiWriter.pickupSignature(285).orElseThrow());
        Score back = roundTrip(score);
        assertEquals(meter, back.meter());
        assertEquals(1, back.meter().barAt(back.chords().get(0).onset()).number(), "the chord starts bar 1");
        assertEquals(0, back.meter().position(back.chords().get(0).onset()).beat());

        MeterMap offGrid = new MeterMap(List.of(new TimeSignature(0, 4, 4)), 290);
        assertEquals(new MeterMap(List.of(new TimeSignature(0, 4, 4)), 285), roundTrip(score.withMeter(offGrid)).meter(),
                "shortened to the 128th below");

        MeterMap oddOver64 = new MeterMap(List.of(new TimeSignature(0, 4, 4)), 97 * 15); // 97/128: no numerator up to 64 says it
        assertEquals(new MeterMap(List.of(new TimeSignature(0, 4, 4)), 96 * 15), roundTrip(score.withMeter(oddOver64).withChords(List.of())).meter(),
                "shortened to 48/64, not lost");
    }

    /** Chord labels as markers only (a text event would become a lyric), in common names spelled in the key. */
    @Test
    void chordLabelsAreMarkersInCommonNamesSpelledInTheKey() throws Exception {
        Score score = Score.of(List.of(new Track("MELODY", Role.MELODY, 0, 0, List.of(new Note(61, 80, 0, 1920)))))
                .withKeys(List.of(KeySignature.parse(0, "Db:maj")))
                .withChords(List.of(new ChordSpan(0, 960, Chord.parse("C#:maj/5")), new ChordSpan(960, 480, Chord.parse("A#:min7")),
                        new ChordSpan(1440, 480, Chord.NONE)));
        String bytes = new String(writer.write(score), java.nio.charset.StandardCharsets.ISO_8859_1);
        assertTrue(bytes.contains("\u00FF\u0006\u0005Db/Ab") && bytes.contains("\u00FF\u0006\u0004Bbm7")
                && bytes.contains("\u00FF\u0006\u0004N.C."), "markers in common names");
        assertTrue(!bytes.contains("\u00FF\u0001"), "no text events");
        assertEquals(score.chords(), roundTrip(score).chords());
    }

    @Test
    void overlappingNotesOfOnePitchAreCutAtTheLaterOnset() throws Exception {
        Track track = new Track("MELODY", Role.MELODY, 0, 0, List.of(new Note(60, 80, 0, 960), new Note(60, 81, 480, 960)));
        assertEquals(List.of(new Note(60, 80, 0, 480), new Note(60, 81, 480, 960)),
                roundTrip(Score.of(List.of(track))).tracks().get(0).notes());
    }

    /** 200 random scores: tracks, notes, pedal, tempo and meter changes, pickups, keys, chords. */
    @Test
    void randomScoresSurviveWriteRead() throws Exception {
        Random random = new Random(20261125L);
        for (int i = 0; i < 200; i++) {
            Score score = randomScore(random);
            assertEquals(score, roundTrip(score), "random score " + i);
        }
    }

    private static final String[] CHORDS = {"C:maj", "F#:min7/5", "Bb:sus4(b7)", "N", "E:7/3", "Ab:hdim7", "G:maj6", "D:min/b3", "C#:aug"};

    private static Score randomScore(Random random) {
        long length = 1920L * (4 + random.nextInt(40));
        List<TempoMap.Change> tempos = new ArrayList<>();
        tempos.add(new TempoMap.Change(0, 300_000 + random.nextInt(900_000)));
        for (int i = random.nextInt(4); i > 0; i--) tempos.add(new TempoMap.Change(1 + random.nextLong(length), 200_000 + random.nextInt(1_000_000)));

        int[][] meters = {{4, 4}, {3, 4}, {6, 8}, {2, 4}, {5, 8}, {7, 16}, {2, 2}, {12, 8}};
        int[] firstMeter = meters[random.nextInt(meters.length)];
        TimeSignature first = new TimeSignature(0, firstMeter[0], firstMeter[1]);
        long pickup = random.nextBoolean() ? 120L * (1 + random.nextInt((int) (first.barTicks() / 120) - 1)) : 0;
        List<TimeSignature> signatures = new ArrayList<>(List.of(first));
        long barStart = pickup;
        TimeSignature current = first;
        for (int i = random.nextInt(3); i > 0; i--) {
            int[] next = meters[random.nextInt(meters.length)];
            barStart += current.barTicks() * (1 + random.nextInt(4)) + (random.nextInt(4) == 0 ? 120 : 0);
            current = new TimeSignature(barStart, next[0], next[1]);
            boolean readsAsPickup = pickup == 0 && signatures.size() == 1 && barStart == first.barTicks()
                    && first.barTicks() < current.barTicks();
            if (!readsAsPickup) signatures.add(current);
        }
        MeterMap meter = new MeterMap(signatures, pickup);

        List<KeySignature> keys = new ArrayList<>();
        long keyTick = 0;
        for (int i = random.nextInt(3); i > 0; i--) {
            keys.add(new KeySignature(keyTick, random.nextInt(12), random.nextBoolean() ? KeySignature.Mode.MAJOR : KeySignature.Mode.MINOR));
            keyTick += 1 + random.nextInt(4000);
        }

        List<ChordSpan> chords = new ArrayList<>();
        long chordTick = random.nextInt(3) * 240L;
        for (int i = random.nextInt(6); i > 0; i--) {
            long duration = 1 + random.nextInt(1920);
            chords.add(new ChordSpan(chordTick, duration, Chord.parse(CHORDS[random.nextInt(CHORDS.length)])));
            chordTick += duration + (random.nextBoolean() ? 0 : random.nextInt(960));
        }

        List<Track> tracks = new ArrayList<>();
        tracks.add(randomTrack(random, Role.MELODY, random.nextInt(9), length, 1));
        Role[] others = {Role.BASS, Role.PIANO, Role.COUNTER_MELODY, Role.OTHER, Role.DRUMS};
        for (int i = random.nextInt(4); i > 0; i--) {
            Role role = others[random.nextInt(others.length)];
            int channel = role == Role.DRUMS ? Track.DRUM_CHANNEL : 10 + random.nextInt(6);
            tracks.add(randomTrack(random, role, channel, length, 0));
        }
        return new Score(new TempoMap(tempos), meter, keys, chords, tracks);
    }

    private static Track randomTrack(Random random, Role role, int channel, long length, int minNotes) {
        List<Note> notes = new ArrayList<>();
        int wanted = minNotes + random.nextInt(60);
        while (notes.size() < wanted) {
            int pitch = 30 + random.nextInt(60);
            long onset = random.nextLong(length);
            long duration = 1 + random.nextInt(random.nextBoolean() ? 30 : 2000);
            Note note = new Note(pitch, 1 + random.nextInt(127), onset, duration);
            boolean clashes = notes.stream().anyMatch(n -> n.pitch() == pitch && n.onset() < note.end() && note.onset() < n.end());
            if (!clashes) notes.add(note);
        }
        List<PedalSpan> sustain = new ArrayList<>();
        long pedalTick = random.nextInt(500);
        for (int i = random.nextInt(4); i > 0; i--) {
            long duration = 1 + random.nextInt(2000);
            sustain.add(new PedalSpan(pedalTick, duration));
            pedalTick += duration + random.nextInt(3) * 100L;
        }
        return new Track(role.trackName(), role, random.nextInt(128), channel, notes, sustain);
    }
}
