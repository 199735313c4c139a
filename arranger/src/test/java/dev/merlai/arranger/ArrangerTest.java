package dev.merlai.arranger;

import dev.merlai.arranger.model.ArrangementModels;
import dev.merlai.music.Chord;
import dev.merlai.music.ChordSpan;
import dev.merlai.music.MeterMap;
import dev.merlai.music.Note;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.TimeSignature;
import dev.merlai.music.Track;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the real shipped models on real melodies and checks what a musician would check. */
class ArrangerTest {

    private static final int Q = Score.TICKS_PER_QUARTER;
    private static ArrangementModels models;
    private static Arranger arranger;
    private static Score odeToJoy;

    @BeforeAll
    static void loadModels() throws Exception {
        models = ArrangementModels.loadShipped(2);
        arranger = new Arranger(models);
        odeToJoy = Examples.odeToJoy();
    }

    @AfterAll
    static void closeModels() {
        models.close();
    }

    @Test
    void keepsTheMelodyNoteForNoteAndAddsAccompanimentOnOtherChannels() throws Exception {
        Score arranged = arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT).score();
        Track melody = arranged.melody().orElseThrow();
        assertEquals(odeToJoy.melody().orElseThrow(), melody);
        List<Track> accompaniment = arranged.tracks().stream().filter(t -> t.role().isAccompaniment()).toList();
        assertFalse(accompaniment.isEmpty());
        assertTrue(accompaniment.stream().mapToInt(t -> t.notes().size()).sum() > 16, "at least a note per bar");
        for (Track track : accompaniment) {
            assertNotEquals(Track.DRUM_CHANNEL, track.channel());
            assertNotEquals(melody.channel(), track.channel());
            for (Note note : track.notes()) assertTrue(note.pitch() >= 21 && note.pitch() <= 108);
        }
    }

    @Test
    void labelsChordsThatMostlyBelongToTheKeyOfASimpleTune() throws Exception {
        List<ChordSpan> chords = arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT).score().chords();
        assertFalse(chords.isEmpty());
        Set<Integer> cMajor = Set.of(0, 2, 4, 5, 7, 9, 11);
        long inKey = 0, total = 0;
        for (ChordSpan span : chords) {
            if (span.chord().isNone()) continue;
            total += span.duration();
            boolean diatonic = true;
            for (int pc : span.chord().pitchClasses()) diatonic &= cMajor.contains(pc);
            if (diatonic) inKey += span.duration();
        }
        assertTrue(inKey >= 0.75 * total, "chords in C major for " + inKey + " of " + total + " ticks: " + chords);
    }

    @Test
    void theSameSeedGivesTheSameArrangementAndAnotherSeedAnother() throws Exception {
        Score first = arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT.withSeed(42)).score();
        Score again = arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT.withSeed(42)).score();
        Score other = arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT.withSeed(43)).score();
        assertEquals(first, again);
        assertNotEquals(accompanimentNotes(first), accompanimentNotes(other));
    }

    @Test
    void oneSeedDrawsDifferentlyForDifferentMelodies() {
        List<Note> tune = List.of(new Note(60, 90, 0, 480), new Note(62, 90, 480, 480));
        List<Note> other = List.of(new Note(60, 90, 0, 480), new Note(64, 90, 480, 480));
        assertEquals(Arranger.songSeed(7, tune), Arranger.songSeed(7, List.copyOf(tune)));
        assertNotEquals(Arranger.songSeed(7, tune), Arranger.songSeed(7, other), "one seed must not give every song the same draws");
        assertNotEquals(Arranger.songSeed(7, tune), Arranger.songSeed(8, tune));
    }

    @Test
    void regeneratingSomeBarsKeepsEveryOtherBarNoteForNote() throws Exception {
        Score arranged = arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT.withSeed(5)).score();
        Score infilled = arranger.arrange(arranged, ArrangeOptions.DEFAULT.withSeed(6).withBars(new BarRange(5, 8))).score();
        MeterMap meter = infilled.meter();
        long from = meter.bar(5).start(), to = meter.bar(8).end();
        Set<Note> before = outside(accompanimentNotes(arranged), from, to);
        Set<Note> after = outside(accompanimentNotes(infilled), from, to);
        assertEquals(before, after);
        assertNotEquals(inside(accompanimentNotes(arranged), from, to), inside(accompanimentNotes(infilled), from, to));
        assertFalse(inside(accompanimentNotes(infilled), from, to).isEmpty());
        assertEquals(arranged.chords(), infilled.chords(), "given chords are followed");
    }

    @Test
    void fillsOnlyTheBarsThatHaveNoAccompaniment() throws Exception {
        Track givenPiano = new Track("PIANO", Role.PIANO, 0, 1, List.of(new Note(48, 70, 0, 4 * Q), new Note(55, 70, 4 * Q, 4 * Q)));
        List<Track> tracks = new ArrayList<>(odeToJoy.tracks());
        tracks.add(givenPiano);
        Score arranged = arranger.arrange(odeToJoy.withTracks(tracks), ArrangeOptions.DEFAULT).score();
        Set<Note> firstTwoBars = inside(accompanimentNotes(arranged), 0, 8 * Q);
        assertEquals(Set.copyOf(givenPiano.notes()), firstTwoBars);
        assertFalse(inside(accompanimentNotes(arranged), 8 * Q, 64 * Q).isEmpty());
    }

    @Test
    void findsTheDownbeatOfAMelodyWhoseFileSaysOneFour() throws Exception {
        // A performed-style file (as POP909's): bars claimed as 1/4, the first downbeat 1.5 quarters in.
        // Each bar holds a long note on its downbeat and two eighths leading into the next bar: the cues the
        // downbeat model reads (long notes start bars, short ones lead into them).
        long offset = Q + Q / 2;
        List<Note> notes = new ArrayList<>();
        int[] tune = {60, 64, 67, 65, 62, 59, 60, 57};
        for (int bar = 0; bar < 16; bar++) {
            long start = offset + bar * 4L * Q;
            notes.add(new Note(tune[bar % tune.length] + 12, 90, start, 3 * Q - 30));
            for (int e = 0; e < 2; e++) notes.add(new Note(tune[(bar + e) % tune.length] + 7, 80, start + 3 * Q + e * (Q / 2), Q / 2 - 20));
        }
        Track melody = new Track("MELODY", Role.MELODY, 0, 0, notes);
        Score performed = new Score(odeToJoy.tempo(), new MeterMap(List.of(new TimeSignature(0, 1, 4))), List.of(), List.of(), List.of(melody));
        Arrangement arrangement = arranger.arrange(performed, ArrangeOptions.DEFAULT);
        assertTrue(arrangement.meter().startsWith("inferred"), arrangement.meter());
        long downbeat = arrangement.score().meter().pickup();
        assertEquals(0, Math.floorMod(downbeat - offset, 4 * Q), "downbeat at " + downbeat + ": " + arrangement.meter());

        // the pickup is one and a half beats long, yet chords change on the beats and nothing starts before the song
        for (ChordSpan chord : arrangement.score().chords()) {
            assertTrue(chord.onset() == 0 || Math.floorMod(chord.onset() - downbeat, Q) == 0, "chord off the beat: " + chord);
        }
        assertTrue(accompanimentNotes(arrangement.score()).stream().allMatch(n -> n.onset() >= 0));
    }

    @Test
    void keepsTheNotatedMeterOfAScoreWhoseMelodyFitsIt() throws Exception {
        Arrangement arrangement = arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT);
        assertTrue(arrangement.meter().startsWith("kept"), arrangement.meter());
        assertEquals(odeToJoy.meter(), arrangement.score().meter());
    }

    @Test
    void theShippedTextureModelSaysHowToSampleEachStyle() {
        for (Style style : Style.values()) {
            var sampling = models.textureMetadata().sampling(style.id());
            assertTrue(sampling.densitySpread() > 0 && sampling.repeatBias() > 0, style + ": " + sampling);
        }
    }

    @Test
    void refusesBarsOutsideTheSongAndAScoreWithoutMelody() {
        assertThrows(ArrangeException.class, () -> arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT.withBars(new BarRange(30, 40))));
        Score noMelody = Score.of(List.of(new Track("PIANO", Role.PIANO, 0, 0, List.of(new Note(60, 80, 0, Q)))));
        assertThrows(ArrangeException.class, () -> arranger.arrange(noMelody, ArrangeOptions.DEFAULT));
    }

    @Test
    void bothStylesWork() throws Exception {
        Score lied = arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT.withStyle(Style.LIED)).score();
        assertFalse(accompanimentNotes(lied).isEmpty());
        assertTrue(lied.chords().stream().map(ChordSpan::chord).noneMatch(c -> c == null));
        assertTrue(lied.chords().stream().map(ChordSpan::chord).map(Chord::label).collect(Collectors.toSet()).size() > 1);
    }

    private static Set<Note> accompanimentNotes(Score score) {
        Set<Note> notes = new HashSet<>();
        for (Track track : score.tracks()) if (track.role().isAccompaniment()) notes.addAll(track.notes());
        return notes;
    }

    private static Set<Note> inside(Set<Note> notes, long from, long to) {
        return notes.stream().filter(n -> n.onset() >= from && n.onset() < to).collect(Collectors.toSet());
    }

    private static Set<Note> outside(Set<Note> notes, long from, long to) {
        return notes.stream().filter(n -> n.onset() < from || n.onset() >= to).collect(Collectors.toSet());
    }
}
