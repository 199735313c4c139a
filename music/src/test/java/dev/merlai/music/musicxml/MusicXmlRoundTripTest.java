package dev.merlai.music.musicxml;

import dev.merlai.music.Chord;
import dev.merlai.music.ChordSpan;
import dev.merlai.music.KeySignature;
import dev.merlai.music.MeterMap;
import dev.merlai.music.Note;
import dev.merlai.music.PedalSpan;
import dev.merlai.music.RandomScores;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.TimeSignature;
import dev.merlai.music.Track;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.ReadResult;
import dev.merlai.music.io.ScoreReadException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("MusicXML round trip: read(write(score)) is the score")
class MusicXmlRoundTripTest {

    private final MusicXmlReader reader = new MusicXmlReader();
    private final MusicXmlWriter writer = new MusicXmlWriter();

    static byte[] resource(String name) throws IOException {
        try (InputStream in = MusicXmlRoundTripTest.class.getResourceAsStream("/musicxml/" + name)) {
            if (in == null) throw new IOException("missing test resource " + name);
            return in.readAllBytes();
        }
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"lc6488630.mxl", "lc5729860.mxl", "lc8718660.mxl", "lc5978033.mxl"})
    @DisplayName("a Lieder score written and read back keeps its notes, tempo, meter, keys, chords and tracks")
    void liederScoresSurviveTheRoundTrip(String file) throws Exception {
        ReadResult first = reader.read(resource(file), ReadOptions.DEFAULT);
        Score original = first.score();
        assertTrue(original.melody().isPresent(), "the voice part is the melody");
        assertFalse(original.melody().get().notes().isEmpty());

        Score again = reader.read(writer.write(original), ReadOptions.DEFAULT).score();

        assertSameScore(original, again, file);
    }

    @Test
    @DisplayName("the Lieder test files have what they were picked for")
    void theLiederFilesHaveTheirFeatures() throws Exception {
        Score beethoven = reader.read(resource("lc6488630.mxl"), ReadOptions.DEFAULT).score();
        assertTrue(beethoven.meter().pickup() > 0, "pickup");
        assertTrue(beethoven.keys().size() > 1, "key change");
        assertEquals(Role.PIANO, beethoven.tracks().get(1).role());
        Score brahms = reader.read(resource("lc5729860.mxl"), ReadOptions.DEFAULT).score();
        assertTrue(brahms.meter().changes().size() > 1, "time change");
        Score choir = reader.read(resource("lc8718660.mxl"), ReadOptions.DEFAULT).score();
        assertEquals(4, choir.tracks().size());
        assertTrue(choir.meter().pickup() > 0, "pickup");
        assertEquals(Role.MELODY, choir.tracks().get(0).role(), "the soprano, the first part named like a voice");
        Score viardot = reader.read(resource("lc5978033.mxl"), ReadOptions.DEFAULT).score();
        // Its <harmony> elements are all of kind none (text placed as chord symbols): no chord labels.
        assertTrue(viardot.chords().isEmpty(), "no chord labels from kind none");
    }

    @Test
    @DisplayName("200 random scores (seeded) come back equal, up to the writer's documented normalization")
    void randomScoresSurviveTheRoundTrip() throws Exception {
        for (int seed = 0; seed < 200; seed++) {
            Random random = new Random(seed);
            Score score = enrich(RandomScores.next(random), random);
            Score back = reader.read(writer.write(score), ReadOptions.DEFAULT).score();
            assertSameScore(normalized(score), back, "seed " + seed);
        }
    }

    @Test
    @DisplayName("the melody is written first, whatever the track order")
    void melodyIsTheFirstPart() throws Exception {
        Track piano = new Track("Piano", Role.PIANO, 0, 1, List.of(new Note(48, 70, 0, 960)));
        Track melody = new Track("Tune", Role.MELODY, 73, 0, List.of(new Note(72, 90, 0, 480)));
        Score score = Score.of(List.of(piano, melody));
        Score back = reader.read(writer.write(score), ReadOptions.DEFAULT).score();
        assertEquals(List.of(melody, piano), back.tracks());
    }

    /** RandomScores plus what it lacks: cut-short bars, key changes mid-bar, pedal, odd durations, chords, no melody. */
    private static Score enrich(Score score, Random random) {
        long end = Math.max(score.endTick(), Score.TICKS_PER_QUARTER);
        MeterMap meter = score.meter();
        if (random.nextInt(3) == 0) {
            List<TimeSignature> changes = new ArrayList<>(meter.changes());
            long tick = meter.pickup() + 1 + random.nextInt((int) end);
            changes.add(new TimeSignature(tick, 1 + random.nextInt(12), 1 << random.nextInt(6)));
            meter = new MeterMap(changes, meter.pickup());
        }
        List<KeySignature> keys = new ArrayList<>(score.keys());
        for (int i = random.nextInt(3); i > 0; i--) {
            keys.add(new KeySignature(1 + random.nextInt((int) end), random.nextInt(12),
                    random.nextBoolean() ? KeySignature.Mode.MAJOR : KeySignature.Mode.MINOR));
        }
        List<ChordSpan> chords = new ArrayList<>(score.chords());
        if (chords.isEmpty() && random.nextBoolean()) {
            String[] labels = {"D:min9", "E:hdim7/b3", "Ab:aug(b7)", "C:maj(*5)", "F:sus2", "G:13", "A:1", "B:5/5"};
            long tick = random.nextInt(200);
            while (tick < end) {
                long length = 1 + random.nextInt(1500);
                chords.add(new ChordSpan(tick, length, Chord.parse(labels[random.nextInt(labels.length)])));
                tick += length + (random.nextBoolean() ? 0 : random.nextInt(300));
            }
        }
        List<Track> tracks = new ArrayList<>(score.tracks());
        if (random.nextInt(8) == 0) tracks.set(0, tracks.get(0).withRole(Role.COUNTER_MELODY, "Line")); // no melody at all
        if (random.nextBoolean()) {
            List<Note> notes = new ArrayList<>();
            for (int i = random.nextInt(40); i > 0; i--) {
                long onset = random.nextInt((int) end);
                long duration = 1 + random.nextInt(2000);
                int pitch = 20 + random.nextInt(90);
                int size = random.nextInt(4) == 0 ? 3 : 1;
                for (int k = 0; k < size; k++) {
                    Note note = new Note(pitch + 4 * k, 1 + random.nextInt(127), onset, duration);
                    if (notes.stream().noneMatch(n -> n.pitch() == note.pitch() && n.onset() < note.end() && note.onset() < n.end())) notes.add(note);
                }
            }
            List<PedalSpan> pedal = new ArrayList<>();
            long tick = random.nextInt(500);
            while (tick < end) {
                long length = 1 + random.nextInt(2000);
                pedal.add(new PedalSpan(tick, length));
                tick += length + (random.nextBoolean() ? 0 : 1 + random.nextInt(500));
            }
            tracks.add(new Track("Odd & <strange> \"part\"", Role.OTHER, random.nextInt(128), 15, notes, pedal));
        }
        return new Score(score.tempo(), meter, keys, chords, tracks);
    }

    /** What the writer documents that a read-back changes: N labels become gaps; keys at one tick: the last one. */
    private static Score normalized(Score score) {
        List<ChordSpan> chords = score.chords().stream().filter(c -> !c.chord().isNone()).toList();
        List<KeySignature> keys = new ArrayList<>();
        for (KeySignature key : score.keys()) {
            if (!keys.isEmpty() && keys.get(keys.size() - 1).tick() == key.tick()) keys.remove(keys.size() - 1);
            keys.add(key);
        }
        return new Score(score.tempo(), score.meter(), keys, chords, score.tracks());
    }

    static void assertSameScore(Score expected, Score actual, String what) {
        assertEquals(expected.tempo(), actual.tempo(), what + ": tempo");
        assertEquals(expected.meter(), actual.meter(), what + ": meter");
        assertEquals(expected.keys(), actual.keys(), what + ": keys");
        assertEquals(expected.chords(), actual.chords(), what + ": chords");
        assertEquals(expected.tracks().size(), actual.tracks().size(), what + ": track count");
        for (int t = 0; t < expected.tracks().size(); t++) {
            Track want = expected.tracks().get(t), got = actual.tracks().get(t);
            String where = what + ", track " + t;
            assertEquals(want.name(), got.name(), where + ": name");
            assertEquals(want.role(), got.role(), where + ": role");
            assertEquals(want.program(), got.program(), where + ": program");
            assertEquals(want.channel(), got.channel(), where + ": channel");
            assertEquals(want.notes(), got.notes(), where + ": notes");
            assertEquals(want.sustain(), got.sustain(), where + ": sustain");
        }
    }
}
