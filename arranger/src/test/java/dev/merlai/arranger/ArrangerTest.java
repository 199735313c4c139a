package dev.merlai.arranger;

import dev.merlai.arranger.grid.MetricGrid;
import dev.merlai.arranger.model.ArrangementModels;
import dev.merlai.music.Bar;
import dev.merlai.music.Chord;
import dev.merlai.music.ChordSpan;
import dev.merlai.music.MeterMap;
import dev.merlai.music.Note;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.TimeSignature;
import dev.merlai.music.Track;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs the real shipped models on real melodies and checks what a musician would check, the song's form among it (repeats, intro, ending). */
class ArrangerTest {

    private static final int Q = Score.TICKS_PER_QUARTER;
    private static final long BAR = 4L * Q;
    private static ArrangementModels models;
    private static Arranger arranger;
    private static Score odeToJoy;

    @BeforeAll
    static void loadModels() throws Exception {
        models = Examples.shippedModels();
        arranger = Examples.shippedArranger();
        odeToJoy = Examples.odeToJoy();
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
        Score first = arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT.with(o -> o.seed(42))).score();
        Score again = arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT.with(o -> o.seed(42))).score();
        Score other = arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT.with(o -> o.seed(43))).score();
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
        Score arranged = arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT.with(o -> o.seed(5))).score();
        Score infilled = arranger.arrange(arranged, ArrangeOptions.DEFAULT.with(o -> o.seed(6).bars(new BarRange(5, 8)))).score();
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
        assertThrows(ArrangeException.class, () -> arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT.with(o -> o.bars(new BarRange(30, 40)))));
        Score noMelody = Score.of(List.of(new Track("PIANO", Role.PIANO, 0, 0, List.of(new Note(60, 80, 0, Q)))));
        assertThrows(ArrangeException.class, () -> arranger.arrange(noMelody, ArrangeOptions.DEFAULT));
    }

    @Test
    void bothStylesWork() throws Exception {
        Score lied = arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT.with(o -> o.style(Style.LIED))).score();
        assertFalse(accompanimentNotes(lied).isEmpty());
        assertTrue(lied.chords().stream().map(ChordSpan::chord).noneMatch(c -> c == null));
        assertTrue(lied.chords().stream().map(ChordSpan::chord).map(Chord::label).collect(Collectors.toSet()).size() > 1);
    }

    private static Set<Note> accompanimentNotes(Score score) {
        Set<Note> notes = new HashSet<>();
        for (Track track : score.tracks()) if (track.role().isAccompaniment()) notes.addAll(track.notes());
        return notes;
    }

    /** The 16th a note is written on: its onset less the few ticks of feel the performance gives it. */
    private static long written(Note note) {
        return Math.round(note.onset() / (double) MetricGrid.STEP_TICKS) * MetricGrid.STEP_TICKS;
    }

    private static Set<Note> inside(Set<Note> notes, long from, long to) {
        return notes.stream().filter(n -> written(n) >= from && written(n) < to).collect(Collectors.toSet());
    }

    private static Set<Note> outside(Set<Note> notes, long from, long to) {
        return notes.stream().filter(n -> written(n) < from || written(n) >= to).collect(Collectors.toSet());
    }

    @Test
    void reportsTheFormOfOdeToJoy() throws Exception {
        assertEquals("A(1-4) A'(5-8) B(9-12) A'(13-16) outro(17-18)", arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT).form());
        assertEquals("A(1-4) A'(5-8) B(9-12) A'(13-16)", arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT.with(o -> o.ending(false))).form());
    }

    @Test
    void anAskedForIntroMovesTheSongLaterAndIsAccompanied() throws Exception {
        Arrangement arrangement = arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT.with(o -> o.intro(4)));
        Score arranged = arrangement.score();

        assertEquals(4 * BAR, arrangement.movedTicks());
        assertEquals("bars 1-4 (the melody moved 4 bars later)", arrangement.intro());
        List<Note> original = odeToJoy.melody().orElseThrow().notes();
        List<Note> moved = arranged.melody().orElseThrow().notes();
        assertEquals(original.size(), moved.size());
        for (int i = 0; i < original.size(); i++) {
            assertEquals(original.get(i).onset() + 4 * BAR, moved.get(i).onset());
            assertEquals(original.get(i).pitch(), moved.get(i).pitch());
            assertEquals(original.get(i).duration(), moved.get(i).duration());
        }
        for (int bar = 0; bar < 4; bar++) assertFalse(accompanimentStartingIn(arranged, bar * BAR, (bar + 1) * BAR).isEmpty(), "intro bar " + (bar + 1));
    }

    @Test
    void emptyBarsBeforeTheMelodyAreAccompaniedAndTheMelodyStaysWhereItIs() throws Exception {
        Track melody = odeToJoy.melody().orElseThrow();
        List<Note> later = new ArrayList<>();
        for (Note note : melody.notes()) later.add(new Note(note.pitch(), note.velocity(), note.onset() + 2 * BAR, note.duration()));
        Score late = odeToJoy.withTracks(List.of(melody.withNotes(later)));
        Arrangement arrangement = arranger.arrange(late, ArrangeOptions.DEFAULT);

        assertEquals(0, arrangement.movedTicks());
        assertEquals(late.melody().orElseThrow(), arrangement.score().melody().orElseThrow());
        assertEquals("bars 1-2", arrangement.intro());
        for (int bar = 0; bar < 2; bar++) assertFalse(accompanimentStartingIn(arrangement.score(), bar * BAR, (bar + 1) * BAR).isEmpty());
    }

    @Test
    void theSongEndsAfterItsLastMelodyNoteOnTheReportedChord() throws Exception {
        for (long seed : new long[]{1, 2, 3}) {
            Arrangement arrangement = arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT.with(o -> o.seed(seed)));
            long melodyEnd = odeToJoy.melody().orElseThrow().endTick();
            assertEquals("bars 17-18, G:maj to C:maj", arrangement.ending());
            List<Note> after = accompanimentStartingIn(arrangement.score(), melodyEnd, Long.MAX_VALUE);
            assertFalse(after.isEmpty(), "accompaniment after the last melody note");
            long lastOnset = after.stream().mapToLong(ArrangerTest::written).max().orElseThrow();
            Set<Integer> lastPitchClasses = new TreeSet<>();
            for (Note note : after) if (written(note) == lastOnset) lastPitchClasses.add(note.pitch() % 12);
            assertEquals(Set.of(0, 4, 7), lastPitchClasses, "the last chord is C major");
            long songEnd = arrangement.score().tracks().stream().mapToLong(Track::endTick).max().orElseThrow();
            assertEquals(18 * BAR, songEnd, "the final chord is held to the end of bar 18");
            Bar last = arrangement.score().meter().barAt(arrangement.score().endTick() - 1);
            assertEquals(Chord.parse("C:maj"), arrangement.score().chordAt(last.start()).orElseThrow().chord());
        }
    }

    @Test
    void noEndingStopsWithTheMelody() throws Exception {
        Arrangement arrangement = arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT.with(o -> o.ending(false)));
        assertEquals("none", arrangement.ending());
        assertTrue(accompanimentStartingIn(arrangement.score(), 16 * BAR, Long.MAX_VALUE).isEmpty());
    }

    @Test
    void withoutVariationBarsWhoseMelodyRepeatsRepeatTheirAccompaniment() throws Exception {
        Score arranged = arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT.with(o -> o.variation(0.0))).score();
        Map<List<Long>, Integer> firstBarWithMelody = new HashMap<>();
        int repeats = 0;
        for (int bar = 0; bar < 16; bar++) {
            List<Long> melody = inBar(arranged.melody().orElseThrow().notes(), bar);
            Integer earlier = firstBarWithMelody.putIfAbsent(melody, bar);
            if (earlier == null) continue;
            repeats++;
            assertEquals(accompanimentInBar(arranged, earlier), accompanimentInBar(arranged, bar), "bar " + (bar + 1) + " repeats bar " + (earlier + 1));
        }
        assertTrue(repeats >= 4, "Ode to Joy repeats bars: " + repeats);
    }

    @Test
    void fullVariationInventsRepeatedBarsAnew() throws Exception {
        Score repeated = arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT.with(o -> o.variation(0.0))).score();
        Score invented = arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT.with(o -> o.variation(1.0))).score();
        int differentRepeats = 0;
        // bars 5-7 repeat bars 1-3 note for note
        for (int bar = 4; bar < 7; bar++) {
            if (!accompanimentInBar(invented, bar).equals(accompanimentInBar(invented, bar - 4))) differentRepeats++;
            assertEquals(accompanimentInBar(repeated, bar - 4), accompanimentInBar(repeated, bar));
        }
        assertTrue(differentRepeats > 0);
    }

    @Test
    void theSameSeedGivesTheSameFormedArrangement() throws Exception {
        ArrangeOptions options = ArrangeOptions.DEFAULT.with(o -> o.seed(9).intro(2).variation(0.5));
        assertEquals(arranger.arrange(odeToJoy, options).score(), arranger.arrange(odeToJoy, options).score());
    }

    /** Pitch and written place after the bar line of each note written in the bar, as one comparable list. */
    private static List<Long> inBar(List<Note> notes, int bar) {
        List<Long> result = new ArrayList<>();
        for (Note note : notes) {
            if (written(note) >= bar * BAR && written(note) < (bar + 1) * BAR) result.add((written(note) - bar * BAR) * 128 + note.pitch());
        }
        result.sort(null);
        return result;
    }

    private static List<Long> accompanimentInBar(Score score, int bar) {
        List<Long> result = new ArrayList<>();
        for (Track track : score.tracks()) if (track.role().isAccompaniment()) result.addAll(inBar(track.notes(), bar));
        result.sort(null);
        return result;
    }

    private static List<Note> accompanimentStartingIn(Score score, long from, long to) {
        List<Note> notes = new ArrayList<>();
        for (Track track : score.tracks()) {
            if (track.role().isAccompaniment()) track.notes().stream().filter(n -> written(n) >= from && written(n) < to).forEach(notes::add);
        }
        return notes;
    }
}
