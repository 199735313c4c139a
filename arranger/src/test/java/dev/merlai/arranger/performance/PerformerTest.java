package dev.merlai.arranger.performance;

import dev.merlai.arranger.form.Section;
import dev.merlai.arranger.form.SongForm;
import dev.merlai.arranger.grid.MetricGrid;
import dev.merlai.arranger.model.ArrangementModels;
import dev.merlai.arranger.roll.StepNote;
import dev.merlai.music.Chord;
import dev.merlai.music.ChordSpan;
import dev.merlai.music.MeterMap;
import dev.merlai.music.Note;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.TimeSignature;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The performance stage plays the shipped dynamics model's feel, scaled by humanize and shaped by the phrase. */
class PerformerTest {

    private static final int Q = Score.TICKS_PER_QUARTER;
    private static final long S = MetricGrid.STEP_TICKS;
    private static final MetricGrid EIGHT_BARS = MetricGrid.over(MeterMap.of(4, 4), 8 * 4 * Q);
    /** A(1-4) heard first, A(5-8) its return. */
    private static final SongForm A_A = new SongForm(List.of(new Section("A", 1, 4, -1, 0, 1), new Section("A", 5, 8, 0, 0, 2)),
            new int[8], new int[8], new int[]{1, 1, 1, 1, 2, 2, 2, 2});
    private static final List<ChordSpan> C_MAJOR = List.of(new ChordSpan(0, 8 * 4 * Q, Chord.parse("C:maj")));
    private static ArrangementModels models;

    @BeforeAll
    static void loadModels() throws Exception {
        models = ArrangementModels.loadShipped(1);
    }

    @AfterAll
    static void closeModels() {
        models.close();
    }

    /** Eight bars of a piano pattern: a chord on each beat and a line of 8ths above it. */
    private static List<StepNote> pianoPart() {
        List<StepNote> notes = new ArrayList<>();
        for (int bar = 0; bar < 8; bar++) {
            for (int beat = 0; beat < 4; beat++) {
                int step = bar * 16 + beat * 4;
                for (int pitch : new int[]{48, 52, 55}) notes.add(new StepNote(pitch, step, step + 4));
                notes.add(new StepNote(72, step + 2, step + 4));
            }
        }
        return notes;
    }

    private static Performer performer(double humanize, long seed) {
        return new Performer(models.dynamics(), EIGHT_BARS, A_A, C_MAJOR, new float[EIGHT_BARS.steps()], humanize, seed);
    }

    private static List<Note> playPiano(Performer performer, List<StepNote> piano) {
        return performer.play(Map.of(Role.PIANO, piano)).get(Role.PIANO);
    }

    @Test
    void humanizeZeroPlaysEveryNoteOnItsSixteenthAtThePartsEvenVelocity() {
        List<Note> piano = playPiano(performer(0, 1), pianoPart());
        List<Note> counter = performer(0, 1).play(Map.of(Role.COUNTER_MELODY, List.of(new StepNote(72, 16, 18), new StepNote(74, 18, 19))))
                .get(Role.COUNTER_MELODY);
        assertEquals(Set.of(Performer.PIANO_VELOCITY), piano.stream().map(Note::velocity).collect(Collectors.toSet()));
        assertEquals(List.of(new Note(72, Performer.COUNTER_MELODY_VELOCITY, 16 * S, 2 * S), new Note(74, Performer.COUNTER_MELODY_VELOCITY, 18 * S, S)), counter);
        assertEquals(pianoPart().stream().map(n -> new Note(n.pitch(), Performer.PIANO_VELOCITY, n.firstStep() * S, (n.endStep() - n.firstStep()) * S))
                .collect(Collectors.toSet()), Set.copyOf(piano));
        assertEquals(pianoPart().size(), piano.size());
    }

    @Test
    void fullHumanizeVariesTheVelocityWithinEachBarAndMovesNotesSlightlyOffTheGrid() {
        List<Note> piano = playPiano(performer(1, 1), pianoPart());
        for (int bar = 0; bar < 8; bar++) {
            long start = bar * 16 * S, end = start + 16 * S;
            double[] velocities = piano.stream().filter(n -> n.onset() >= start - S / 2 && n.onset() < end - S / 2).mapToDouble(Note::velocity).toArray();
            // some bars are played evenly (someBarsArePlayedEvenly...), but none on one velocity
            assertTrue(spread(velocities) >= 1, "bar " + (bar + 1) + " velocity spread " + spread(velocities));
        }
        long offGrid = piano.stream().filter(n -> n.onset() % S != 0).count();
        assertTrue(offGrid > 0, "some notes are played off the 16th");
        for (Note note : piano) {
            long fromGrid = Math.floorMod(note.onset() + S / 2, S) - S / 2;
            assertTrue(Math.abs(fromGrid) <= Performer.MAX_OFFSET * S, "within its own 16th: " + note);
        }
        assertEquals(piano, playPiano(performer(1, 1), pianoPart()), "the same seed plays the same");
        assertNotEquals(piano, playPiano(performer(1, 2), pianoPart()), "another seed plays otherwise");
    }

    @Test
    void eachSongIsPlayedWithAContrastOfItsOwnAndItsBarsVaryAroundIt() {
        assertTrue(models.dynamics().barSpreadLogSd() > 0.3, "the shipped model measured the bar-to-bar variation");
        // the same pattern in every bar of every song (seed): the log of the bars' spreads, per song. POP909's human piano
        // varies 0.48 between songs and 0.34 within one (tune part); without a song's own contrast these songs differ by
        // 0.14
        List<Double> songMeans = new ArrayList<>(), songSpreads = new ArrayList<>();
        for (long seed = 1; seed <= 40; seed++) {
            List<Note> piano = playPiano(performer(1, seed), pianoPart());
            double[] logSpreads = new double[8];
            for (int bar = 0; bar < 8; bar++) logSpreads[bar] = Math.log(barSpread(piano, bar));
            songMeans.add(Arrays.stream(logSpreads).average().orElseThrow());
            songSpreads.add(spread(logSpreads));
        }
        double between = spread(songMeans.stream().mapToDouble(Double::doubleValue).toArray());
        double within = songSpreads.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        assertTrue(between > 0.35, "the songs' contrast differs by " + between);
        assertTrue(within > 0.2, "a song's bars vary by " + within);
    }

    @Test
    void aSingleLinePlaysEachBarWithItsContrastThoughItHasOnlyTwoNotesThere() {
        // a bass note under a chord and a counter-melody note, each twice a bar. Some bars are meant to be near even (a
        // song's and a bar's own contrast are drawn), as the piano's chords of six notes a bar show; a line's two raw
        // draws a bar left five times as many of its bars near even as the piano's (99 and 101 of 320
        // against 18). 40 seeds' bars are counted, for shares that chance does not swing
        List<StepNote> piano = new ArrayList<>(), bass = new ArrayList<>(), counter = new ArrayList<>();
        for (int bar = 0; bar < 8; bar++) {
            for (int half = 0; half < 2; half++) {
                int step = bar * 16 + half * 8;
                bass.add(new StepNote(40, step, step + 8));
                for (int pitch : new int[]{55, 59, 62}) piano.add(new StepNote(pitch, step, step + 8));
                counter.add(new StepNote(half == 0 ? 72 : 74, step + 4, step + 8));
            }
        }
        List<Double> pianoSpreads = new ArrayList<>(), bassSpreads = new ArrayList<>(), counterSpreads = new ArrayList<>();
        for (long seed = 1; seed <= 40; seed++) {
            Map<Role, List<Note>> played = performer(1, seed).play(Map.of(Role.PIANO, piano, Role.BASS, bass, Role.COUNTER_MELODY, counter));
            for (int bar = 0; bar < 8; bar++) {
                pianoSpreads.add(barSpread(played.get(Role.PIANO), bar));
                bassSpreads.add(barSpread(played.get(Role.BASS), bar));
                counterSpreads.add(barSpread(played.get(Role.COUNTER_MELODY), bar));
            }
        }
        long pianoNearEven = pianoSpreads.stream().filter(s -> s < 2).count();
        for (List<Double> spreads : List.of(bassSpreads, counterSpreads)) {
            long nearEven = spreads.stream().filter(s -> s < 2).count();
            assertTrue(nearEven <= 2 * pianoNearEven, nearEven + " of " + spreads.size() + " bars within 2 of even, the piano's " + pianoNearEven + ": " + spreads);
        }
    }

    @Test
    void theBassIsPlayedByThePianistItWasSplitOffFromHearingBothHandsInOneBarLevel() {
        List<StepNote> whole = pianoPart(), upper = new ArrayList<>(), bass = new ArrayList<>();
        for (StepNote note : whole) (note.pitch() == 48 ? bass : upper).add(note);
        List<Note> alone = playPiano(performer(1, 4), whole);
        Map<Role, List<Note>> split = performer(1, 4).play(Map.of(Role.PIANO, upper, Role.BASS, bass));
        List<Note> upperAlone = alone.stream().filter(n -> n.pitch() != 48).toList();
        assertEquals(upperAlone, split.get(Role.PIANO), "the piano's notes play as they would over their bass");
        assertEquals(alone.stream().filter(n -> n.pitch() == 48).map(Note::onset).toList(), split.get(Role.BASS).stream().map(Note::onset).toList(),
                "the bass moves with the chords it was struck with");
        assertTrue(split.get(Role.BASS).stream().allMatch(n -> n.pitch() == 48 && n.duration() > 0));
    }

    @Test
    void halfHumanizeHalvesEachNotesDeviationFromTheEvenVelocity() {
        List<Note> full = playPiano(performer(1, 3), pianoPart());
        List<Note> half = playPiano(performer(0.5, 3), pianoPart());
        for (int i = 0; i < full.size(); i++) {
            if (full.get(i).velocity() == 1 || full.get(i).velocity() == 127) continue;   // clipped at full humanize
            double expected = Performer.PIANO_VELOCITY + (full.get(i).velocity() - Performer.PIANO_VELOCITY) / 2.0;
            assertEquals(expected, half.get(i).velocity(), 1.0, "note " + i);
        }
    }

    @Test
    void thePhraseCrescendosIntoTheNextSectionAccentsItsDownbeatAndIsLouderWhenTheTuneReturns() {
        Performer performer = performer(1, 1);
        int lastBarOfA = 3 * 16, firstBarOfReturn = 4 * 16;
        assertTrue(performer.phraseShape(lastBarOfA + 15) - performer.phraseShape(lastBarOfA) >= Performer.CRESCENDO * 0.9, "crescendo through bar 4");
        assertEquals(Performer.SECTION_ACCENT, performer.phraseShape(firstBarOfReturn) - performer.phraseShape(firstBarOfReturn + 4), 1e-9,
                "the return's downbeat accented");
        assertTrue(performer.phraseShape(firstBarOfReturn + 20) > performer.phraseShape(20), "the second hearing louder than the first");
    }

    @Test
    void aPickupNoteThatBeginsBeforeTheSongStartsWithIt() {
        // a pickup of one and a half beats: its steps are laid from the beat before, two steps before tick 0
        MetricGrid pickup = MetricGrid.over(new MeterMap(List.of(new TimeSignature(0, 4, 4)), 3 * Q / 2), 8 * Q);
        assertEquals(-2 * S, pickup.stepTick(0));
        Performer performer = new Performer(models.dynamics(), pickup, A_A, C_MAJOR, new float[pickup.steps()], 0, 1);
        List<Note> played = playPiano(performer, List.of(new StepNote(60, 0, 4), new StepNote(62, 0, 1)));
        assertEquals(List.of(new Note(60, Performer.PIANO_VELOCITY, 0, 2 * S)), played, "clipped at tick 0; a note wholly before it is dropped");
    }

    /** The spread of the velocities of the notes struck in 4/4 bar {@code bar} (from 0; a note played early counts in its bar). */
    private static double barSpread(List<Note> notes, int bar) {
        long start = bar * 16 * S, end = start + 16 * S;
        return spread(notes.stream().filter(n -> n.onset() >= start - S / 2 && n.onset() < end - S / 2).mapToDouble(Note::velocity).toArray());
    }

    private static double spread(double[] values) {
        double mean = java.util.Arrays.stream(values).average().orElse(0);
        return Math.sqrt(java.util.Arrays.stream(values).map(v -> (v - mean) * (v - mean)).average().orElse(0));
    }
}
