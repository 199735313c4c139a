package dev.merlai.music.midi;

import dev.merlai.music.Chord;
import dev.merlai.music.ChordSpan;
import dev.merlai.music.KeySignature;
import dev.merlai.music.MeterMap;
import dev.merlai.music.Note;
import dev.merlai.music.PedalSpan;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.TimeSignature;
import dev.merlai.music.Track;
import dev.merlai.music.io.ReadLimits;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.ReadResult;
import dev.merlai.music.io.ScoreReadException;
import dev.merlai.music.io.ScoreReadException.Kind;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Random;

import static dev.merlai.music.midi.Smf.END;
import static dev.merlai.music.midi.Smf.events;
import static dev.merlai.music.midi.Smf.meta;
import static dev.merlai.music.midi.Smf.metaAfter;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What {@link MidiReader} makes of hand-built files, odd and broken ones included. */
class MidiReaderTest {

    private final MidiReader reader = new MidiReader();

    private Score read(byte[] bytes) throws ScoreReadException {
        return reader.read(bytes, ReadOptions.DEFAULT).score();
    }

    private ScoreReadException failure(byte[] bytes, ReadOptions options) {
        return assertThrows(ScoreReadException.class, () -> reader.read(bytes, options));
    }

    @Nested
    class Events {

        @Test
        void runningStatusRepeatsTheLastStatusByte() throws Exception {
            byte[] file = Smf.header(0, 1, 480).track(
                    0x00, 0x90, 60, 100,
                    0x00, 64, 90,            // running status: another note-on
                    0x83, 0x60, 60, 0,       // note-on velocity 0 after 480 ticks: note-off
                    0x00, 64, 0,
                    0, 0xFF, 0x2F, 0).bytes();
            Track track = read(file).tracks().get(0);
            assertEquals(List.of(new Note(60, 100, 0, 480), new Note(64, 90, 0, 480)), track.notes());
        }

        @Test
        void noteOnWithVelocityZeroEndsTheNote() throws Exception {
            byte[] file = Smf.header(0, 1, 480).track(
                    0x00, 0x91, 67, 80,
                    0x81, 0x70, 0x91, 67, 0,  // 240 ticks later, velocity 0
                    0x00, 0x91, 67, 81,
                    0x81, 0x70, 0x81, 67, 64, // a real note-off
                    0, 0xFF, 0x2F, 0).bytes();
            Track track = read(file).tracks().get(0);
            assertEquals(1, track.channel());
            assertEquals(List.of(new Note(67, 80, 0, 240), new Note(67, 81, 240, 240)), track.notes());
        }

        @Test
        void aFormat0FileSplitsIntoOneTrackPerChannel() throws Exception {
            byte[] file = Smf.header(0, 1, 480).track(events(
                    meta(0x03, "Band"),
                    new int[] {0x00, 0xC1, 33, 0x00, 0xC0, 5},
                    new int[] {0x00, 0x90, 72, 100, 0x00, 0x91, 40, 100, 0x00, 0x99, 36, 100},
                    new int[] {0x83, 0x60, 0x80, 72, 0, 0x00, 0x81, 40, 0, 0x00, 0x89, 36, 0},
                    END)).bytes();
            List<Track> tracks = read(file).tracks();
            assertEquals(List.of("Band (channel 1)", "Band (channel 2)", "Band (channel 10)"), tracks.stream().map(Track::name).toList());
            assertEquals(List.of(0, 1, 9), tracks.stream().map(Track::channel).toList());
            assertEquals(List.of(5, 33, 0), tracks.stream().map(Track::program).toList());
            assertEquals(Role.DRUMS, tracks.get(2).role());
            assertEquals(List.of(new Note(36, 100, 0, 480)), tracks.get(2).notes());
        }

        @Test
        void aNoteOnWhileThePitchSoundsKeepsBothAndCutsTheFirstAtTheSecond() throws Exception {
            byte[] file = Smf.header(0, 1, 480).track(
                    0x00, 0x90, 60, 100,
                    0x81, 0x70, 0x90, 60, 101,   // 240: same pitch again while the first sounds
                    0x81, 0x70, 0x80, 60, 0,     // 480: first note-off ends the first note (FIFO)
                    0x83, 0x60, 0x80, 60, 0,     // 960: second note-off ends the second
                    0, 0xFF, 0x2F, 0).bytes();
            assertEquals(List.of(new Note(60, 100, 0, 240), new Note(60, 101, 240, 720)), read(file).tracks().get(0).notes());
        }

        @Test
        void zeroLengthNotesAreKeptOneTickLongAndUnendedNotesCloseAtTheTrackEnd() throws Exception {
            byte[] file = Smf.header(0, 1, 480).track(
                    0x00, 0x90, 50, 100, 0x00, 0x80, 50, 0,  // 0 ticks long
                    0x00, 0x90, 52, 100,                      // never ended
                    0x8F, 0x00, 0xFF, 0x2F, 0).bytes();       // end of track at 1920
            assertEquals(List.of(new Note(50, 100, 0, 1), new Note(52, 100, 0, 1920)), read(file).tracks().get(0).notes());
        }

        @Test
        void aDoubledNoteIsKeptTwiceAndWrittenBackTwice() throws Exception {
            byte[] file = Smf.header(0, 1, 480).track(
                    0x00, 0x90, 67, 60, 0x00, 0x90, 67, 90,    // the same key struck twice at once (POP909 153 does it)
                    0x83, 0x60, 0x90, 67, 0, 0x00, 0x90, 67, 0,
                    0x00, 0xFF, 0x2F, 0).bytes();
            List<Note> doubled = List.of(new Note(67, 60, 0, 480), new Note(67, 90, 0, 480));
            assertEquals(doubled, read(file).tracks().get(0).notes());
            assertEquals(doubled, read(new MidiWriter().write(read(file))).tracks().get(0).notes());
        }

        @Test
        void sustainPedalBecomesSpansAndAHeldPedalEndsWithTheTrack() throws Exception {
            byte[] file = Smf.header(0, 1, 480).track(
                    0x00, 0xB0, 64, 127,
                    0x83, 0x60, 0xB0, 64, 0,
                    0x83, 0x60, 0xB0, 64, 100,
                    0x00, 0xB0, 64, 70,          // pressed again: ignored
                    0x87, 0x40, 0xFF, 0x2F, 0).bytes(); // end at 1920
            assertEquals(List.of(new PedalSpan(0, 480), new PedalSpan(960, 960)), read(file).tracks().get(0).sustain());
        }
    }

    @Nested
    class Time {

        @Test
        void ninetySixTicksPerQuarterAreRescaledTo480() throws Exception {
            byte[] file = Smf.header(1, 1, 96).track(0x60, 0x90, 60, 100, 0x30, 0x80, 60, 0, 0, 0xFF, 0x2F, 0).bytes();
            assertEquals(List.of(new Note(60, 100, 480, 240)), read(file).tracks().get(0).notes());
        }

        @Test
        void nineHundredSixtyTicksPerQuarterAreRescaledTo480() throws Exception {
            byte[] file = Smf.header(1, 1, 960).track(
                    0x8F, 0x00, 0x90, 60, 100,      // 1920
                    0x87, 0x40, 0x80, 60, 0,        // +960
                    0x00, 0xFF, 0x58, 4, 3, 2, 24, 8,
                    0, 0xFF, 0x2F, 0).bytes();
            Score score = read(file);
            assertEquals(List.of(new Note(60, 100, 960, 480)), score.tracks().get(0).notes());
            assertEquals(new TimeSignature(1440, 3, 4), score.meter().changes().get(1));
        }

        @Test
        void theTempoMapTurnsTicksIntoSeconds() throws Exception {
            byte[] file = Smf.header(1, 2, 480)
                    .track(0x00, 0xFF, 0x51, 3, 0x07, 0xA1, 0x20,        // 500000 us = 120 bpm
                            0x87, 0x40, 0xFF, 0x51, 3, 0x0F, 0x42, 0x40, // at 960: 1000000 us = 60 bpm
                            0, 0xFF, 0x2F, 0)
                    .track(0x00, 0x90, 60, 100, 0x8F, 0x00, 0x80, 60, 0, 0, 0xFF, 0x2F, 0)
                    .bytes();
            Score score = read(file);
            assertEquals(2, score.tempo().changes().size());
            assertEquals(1.0, score.tempo().seconds(960), 1e-9);
            assertEquals(3.0, score.durationSeconds(), 1e-9); // 960 ticks at 120 bpm, then 960 at 60 bpm
        }

        @Test
        void aTimeSignatureChangeInsideABarStartsANewBar() throws Exception {
            byte[] file = Smf.header(0, 1, 480).track(
                    0x00, 0xFF, 0x58, 4, 4, 2, 24, 8,
                    0x96, 0x40, 0xFF, 0x58, 4, 3, 2, 24, 8,   // 3/4 at 2880: one and a half 4/4 bars in
                    0, 0xFF, 0x2F, 0).bytes();
            MeterMap meter = read(file).meter();
            assertEquals(List.of(new TimeSignature(0, 4, 4), new TimeSignature(2880, 3, 4)), meter.changes());
            assertEquals(960, meter.bar(2).length());
            assertEquals(3, meter.barAt(2880).number());
            assertEquals(0, meter.pickup());
        }

        @Test
        void aShortFirstBarFollowedByTheRealMeterIsAPickup() throws Exception {
            byte[] file = Smf.header(0, 1, 480).track(
                    0x00, 0xFF, 0x58, 4, 1, 2, 24, 8,          // 1/4 at 0
                    0x83, 0x60, 0xFF, 0x58, 4, 4, 2, 24, 8,    // 4/4 at 480
                    0, 0xFF, 0x2F, 0).bytes();
            assertEquals(new MeterMap(List.of(new TimeSignature(0, 4, 4)), 480), read(file).meter());
        }

        @Test
        void keySignaturesBecomeKeys() throws Exception {
            byte[] file = Smf.header(0, 1, 480).track(
                    0x00, 0xFF, 0x59, 2, 0xFD, 1,              // 3 flats, minor: C minor
                    0x8F, 0x00, 0xFF, 0x59, 2, 2, 0,           // 2 sharps, major: D major at 1920
                    0, 0xFF, 0x2F, 0).bytes();
            assertEquals(List.of(new KeySignature(0, 0, KeySignature.Mode.MINOR), new KeySignature(1920, 2, KeySignature.Mode.MAJOR)),
                    read(file).keys());
        }

        @Test
        void textAndMarkerEventsOfAChordsTrackAreChordLabels() throws Exception {
            byte[] file = Smf.header(1, 1, 480).track(events(
                    meta(0x03, "CHORDS"),
                    meta(0x06, "C:maj"), meta(0x01, "C:maj"),
                    metaAfter(new int[] {0x8F, 0x00}, 0x06, "not a chord!"),  // 1920: skipped
                    metaAfter(new int[] {0x8F, 0x00}, 0x01, "A:min7/b7"),     // 3840
                    metaAfter(new int[] {0x87, 0x40}, 0x06, ""),              // 4800: end of A:min7/b7, a gap follows
                    metaAfter(new int[] {0x87, 0x40}, 0x06, "N"),             // 5760
                    new int[] {0x83, 0x60, 0xFF, 0x2F, 0})).bytes();          // end of track at 6240
            assertEquals(List.of(new ChordSpan(0, 3840, Chord.parse("C:maj")), new ChordSpan(3840, 960, Chord.parse("A:min7/b7")),
                    new ChordSpan(5760, 480, Chord.NONE)), read(file).chords());
        }
    }

    @Nested
    class BrokenInput {

        @Test
        void anEmptyFileIsCorrupt() {
            ScoreReadException e = failure(new byte[0], ReadOptions.DEFAULT);
            assertEquals(Kind.CORRUPT, e.kind());
        }

        @Test
        void garbageIsCorrupt() {
            byte[] garbage = new byte[100];
            new Random(7).nextBytes(garbage);
            assertEquals(Kind.CORRUPT, failure(garbage, ReadOptions.DEFAULT).kind());
            assertEquals(Kind.CORRUPT, failure("hello, world: no MIDI here".getBytes(), ReadOptions.DEFAULT).kind());
        }

        @Test
        void aChunkLongerThanTheFileIsCorruptAtItsLengthField() {
            byte[] file = Smf.header(1, 1, 480).raw('M', 'T', 'r', 'k', 0, 0, 1, 0, 0, 0x90, 60, 100).bytes();
            ScoreReadException e = failure(file, ReadOptions.DEFAULT);
            assertEquals(Kind.CORRUPT, e.kind());
            assertEquals("track 0, byte 18", e.location());
        }

        @Test
        void everyTruncationOfAValidFileIsCorruptWithAByteOffset() throws Exception {
            byte[] whole = resource("pop909-098.mid");
            for (int length = 0; length < whole.length; length++) {
                byte[] cut = Arrays.copyOf(whole, length);
                ScoreReadException e = failure(cut, ReadOptions.DEFAULT);
                assertEquals(Kind.CORRUPT, e.kind(), "cut at " + length);
                assertTrue(e.location().matches("(header|track \\d+), byte \\d+"), e.location());
            }
        }

        @Test
        void aVariableLengthNumberOfMoreThanFourBytesIsCorrupt() {
            byte[] file = Smf.header(0, 1, 480).track(0x81, 0x81, 0x81, 0x81, 0x01, 0x90, 60, 100).bytes();
            ScoreReadException e = failure(file, ReadOptions.DEFAULT);
            assertEquals(Kind.CORRUPT, e.kind());
            assertEquals("track 0, byte 22", e.location());
        }

        @Test
        void aDataByteWithoutStatusIsCorrupt() {
            byte[] file = Smf.header(0, 1, 480).track(0x00, 60, 100, 0, 0xFF, 0x2F, 0).bytes();
            assertEquals(Kind.CORRUPT, failure(file, ReadOptions.DEFAULT).kind());
        }

        @Test
        void formatTwoAndSmpteTimeAreUnsupported() {
            assertEquals(Kind.UNSUPPORTED, failure(Smf.header(2, 1, 480).track(END).bytes(), ReadOptions.DEFAULT).kind());
            assertEquals(Kind.UNSUPPORTED, failure(Smf.header(1, 1, 0xE728).track(END).bytes(), ReadOptions.DEFAULT).kind());
        }

        @Test
        void limitsAreEnforced() throws Exception {
            byte[] file = resource("pop909-098.mid");
            assertEquals(Kind.LIMIT_EXCEEDED, failure(file, options(new ReadLimits(1000, 64, 200_000, 3600))).kind());
            assertEquals(Kind.LIMIT_EXCEEDED, failure(file, options(new ReadLimits(1 << 20, 3, 200_000, 3600))).kind());
            ScoreReadException notes = failure(file, options(new ReadLimits(1 << 20, 64, 10, 3600)));
            assertEquals(Kind.LIMIT_EXCEEDED, notes.kind());
            assertTrue(notes.location().startsWith("track "), notes.location());
            assertEquals(Kind.LIMIT_EXCEEDED, failure(file, options(new ReadLimits(1 << 20, 64, 200_000, 5))).kind());
            reader.read(file, options(new ReadLimits(file.length, 4, 200_000, 3600)));
        }

        private ReadOptions options(ReadLimits limits) {
            return new ReadOptions(limits, null);
        }
    }

    @Nested
    class Melody {

        private final MidiWriter writer = new MidiWriter();

        private Track track(String name, int channel, int... pitches) {
            List<Note> notes = new java.util.ArrayList<>();
            for (int i = 0; i < pitches.length; i++) notes.add(new Note(pitches[i], 90, i * 480L, 480));
            return new Track(name, Role.OTHER, 0, channel, notes);
        }

        private Track chordal(String name, int channel, int low) {
            List<Note> notes = new java.util.ArrayList<>();
            for (int i = 0; i < 8; i++) {
                for (int voice : new int[] {0, 4, 7}) notes.add(new Note(low + voice, 90, i * 480L, 480));
            }
            return new Track(name, Role.OTHER, 0, channel, notes);
        }

        private byte[] file(Track... tracks) {
            return writer.write(Score.of(List.of(tracks)));
        }

        @Test
        void aTrackNamedLikeAMelodyIsTheMelody() throws Exception {
            ReadResult result = reader.read(file(chordal("Strings", 0, 70), track("Lead Vocal", 1, 50, 52, 53)), ReadOptions.DEFAULT);
            assertEquals("track 2 \"Lead Vocal\" (named like a melody)", result.melodyChoice());
            assertEquals(List.of(Role.OTHER, Role.MELODY), result.score().tracks().stream().map(Track::role).toList());
        }

        @Test
        void otherwiseTheHighestMostlyMonophonicTrackIsTheMelody() throws Exception {
            Track flute = track("Flute", 2, 72, 74, 76, 77, 79, 77, 76, 74);
            Track drums = track("Kit", 9, 80, 81, 82, 83, 84, 85, 86, 87);
            ReadResult result = reader.read(file(chordal("Piano", 0, 66), track("Bass", 1, 40, 41, 43, 45, 40, 41, 43, 45), flute, drums),
                    ReadOptions.DEFAULT);
            assertEquals("track 3 \"Flute\" (highest mostly-monophonic track: mean pitch 75.6, monophonic 100%)", result.melodyChoice());
            assertEquals(List.of(Role.PIANO, Role.BASS, Role.MELODY, Role.DRUMS), result.score().tracks().stream().map(Track::role).toList());
        }

        @Test
        void theUsersChoiceByNameOrNumberWins() throws Exception {
            byte[] file = file(track("MELODY", 0, 72, 74), track("Oboe", 1, 60, 62));
            ReadResult byName = reader.read(file, ReadOptions.DEFAULT.withMelodyPart("oboe"));
            assertEquals("track 2 \"Oboe\" (chosen by the user)", byName.melodyChoice());
            assertEquals(Role.MELODY, byName.score().tracks().get(1).role());
            assertEquals(Role.OTHER, byName.score().tracks().get(0).role());
            assertEquals("track 2 \"Oboe\" (chosen by the user)", reader.read(file, ReadOptions.DEFAULT.withMelodyPart("2")).melodyChoice());
        }

        @Test
        void aChoiceThatNamesNoTrackIsNoMelodyAndListsTheTracks() {
            byte[] file = file(track("MELODY", 0, 72, 74), track("Oboe", 1, 60, 62));
            ScoreReadException e = failure(file, ReadOptions.DEFAULT.withMelodyPart("Violin"));
            assertEquals(Kind.NO_MELODY, e.kind());
            assertTrue(e.getMessage().contains("1 \"MELODY\", 2 \"Oboe\""), e.getMessage());
            assertEquals(Kind.NO_MELODY, failure(file, ReadOptions.DEFAULT.withMelodyPart("3")).kind());
        }

        @Test
        void withoutPitchedNotesThereIsNoMelodyButStillAScore() throws Exception {
            ReadResult result = reader.read(file(track("Drums", 9, 36, 38)), ReadOptions.DEFAULT);
            assertEquals("", result.melodyChoice());
            assertEquals(Role.DRUMS, result.score().tracks().get(0).role());
        }
    }

    static byte[] resource(String name) throws java.io.IOException {
        try (var in = MidiReaderTest.class.getResourceAsStream("/midi/" + name)) {
            if (in == null) throw new java.io.FileNotFoundException("/midi/" + name);
            return in.readAllBytes();
        }
    }
}
