package dev.merlai.arranger;

import dev.merlai.arranger.harmony.ChordLayer;
import dev.merlai.music.Chord;
import dev.merlai.music.ChordSheet;
import dev.merlai.music.ChordSpan;
import dev.merlai.music.Score;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The editable chord layer on the real shipped models: given chords kept, open bars filled, bars reharmonized, choices listed. */
class EditableChordsTest {

    private static final long BAR = 4L * Score.TICKS_PER_QUARTER;
    private static final long BEAT = Score.TICKS_PER_QUARTER;
    private static Arranger arranger;
    private static Score odeToJoy; // 16 bars of 4/4, no pickup, no chord labels

    @BeforeAll
    static void readTheExample() throws Exception {
        arranger = new Arranger(Examples.shippedModels());
        odeToJoy = Examples.odeToJoy();
    }

    @Test
    void chordsGivenForBarsOneToEightAreKeptExactlyAndTheRestIsFilled() throws Exception {
        ChordSheet given = ChordSheet.parse("1-8: C G/B Am7,F Csus4");
        List<ChordSpan> chords = arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT.with(o -> o.chords(given))).score().chords();

        List<ChordSpan> firstEight = chords.stream().filter(span -> span.onset() < 8 * BAR).toList();
        assertEquals(List.of(
                new ChordSpan(0, BAR, Chord.parse("C")), new ChordSpan(BAR, BAR, Chord.parse("G/B")),
                new ChordSpan(2 * BAR, BAR / 2, Chord.parse("Am7")), new ChordSpan(2 * BAR + BAR / 2, BAR / 2, Chord.parse("F")),
                new ChordSpan(3 * BAR, BAR, Chord.parse("Csus4")), new ChordSpan(4 * BAR, BAR, Chord.parse("C")),
                new ChordSpan(5 * BAR, BAR, Chord.parse("G/B")), new ChordSpan(6 * BAR, BAR / 2, Chord.parse("Am7")),
                new ChordSpan(6 * BAR + BAR / 2, BAR / 2, Chord.parse("F")), new ChordSpan(7 * BAR, BAR, Chord.parse("Csus4"))), firstEight);
        for (long beat = 8 * BAR; beat < 16 * BAR; beat += BEAT) assertNotNull(chordAt(chords, beat), "beat at tick " + beat + " is filled");
    }

    @Test
    void anInputWhoseChordLabelsCoverSomeBarsKeepsThemAndGetsTheOthersFilled() throws Exception {
        Score partlyLabelled = new Score(odeToJoy.tempo(), odeToJoy.meter(), odeToJoy.keys(),
                List.of(new ChordSpan(4 * BAR, 2 * BAR, Chord.parse("D:min7"))), odeToJoy.tracks());
        List<ChordSpan> chords = arranger.arrange(partlyLabelled, ArrangeOptions.DEFAULT).score().chords();
        assertTrue(chords.contains(new ChordSpan(4 * BAR, 2 * BAR, Chord.parse("D:min7"))));
        for (long beat = 0; beat < 16 * BAR; beat += BEAT) assertNotNull(chordAt(chords, beat), "beat at tick " + beat + " is filled");
    }

    @Test
    void reharmonizingBarsNineToSixteenChangesMostOfTheirBeatsAndNothingElseTheSameWayForTheSameSeed() throws Exception {
        List<ChordSpan> first = arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT).score().chords();
        ArrangeOptions reharmonize = ArrangeOptions.DEFAULT.with(o -> o.reharmonize(BarRange.parse("9-16")).seed(5));
        List<ChordSpan> other = arranger.arrange(odeToJoy, reharmonize).score().chords();

        int changed = 0, beats = 0;
        for (long beat = 0; beat < 16 * BAR; beat += BEAT) {
            boolean differs = !chordAt(first, beat).equals(chordAt(other, beat));
            if (beat < 8 * BAR) {
                assertFalse(differs, "bars 1-8 keep their chords (tick " + beat + ")");
            } else {
                beats++;
                if (differs) changed++;
            }
        }
        assertTrue(changed * 2 >= beats, changed + " of " + beats + " beats changed");
        assertEquals(other, arranger.arrange(odeToJoy, reharmonize).score().chords());
        assertNotEquals(other, arranger.arrange(odeToJoy, reharmonize.with(o -> o.seed(6))).score().chords());
    }

    @Test
    void everyPhraseListsItsProgressionAndTwoOthersDistinctWithProbabilities() throws Exception {
        Arrangement arrangement = arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT);
        List<ChordLayer.PhraseChoices> phrases = arrangement.chordChoices();
        assertEquals(List.of(new BarRange(1, 8), new BarRange(9, 16)), phrases.stream().map(ChordLayer.PhraseChoices::bars).toList());
        for (ChordLayer.PhraseChoices phrase : phrases) {
            assertEquals(3, phrase.progressions().size());
            Set<ChordSheet> distinct = new HashSet<>();
            for (ChordLayer.Progression progression : phrase.progressions()) {
                distinct.add(progression.chords());
                assertTrue(progression.probability() > 0 && progression.probability() <= 1, phrase.toString());
            }
            assertTrue(phrase.progressions().get(1).probability() >= phrase.progressions().get(2).probability(), "likeliest first: " + phrase);
            assertEquals(3, distinct.size());
        }
        // the chosen progression is the one in the score, and each can be given back as chords
        ChordSheet chosen = phrases.get(1).progressions().get(0).chords();
        List<ChordSpan> chords = arrangement.score().chords();
        assertEquals(chosen.chordsOf(9).get(0), chordAt(chords, 8 * BAR));
        ChordSheet second = phrases.get(1).progressions().get(1).chords();
        List<ChordSpan> given = arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT.with(o -> o.chords(
                ChordSheet.parse(second.toString(arrangement.score().keys().isEmpty() ? dev.merlai.music.theory.Spelling.NO_KEY
                        : arrangement.score().keys().get(0)))))).score().chords();
        for (int bar = 9; bar <= 16; bar++) assertEquals(second.chordsOf(bar).get(0), chordAt(given, (bar - 1) * BAR));
    }

    @Test
    void chordsForBarsTheSongDoesNotHaveAreRefused() {
        ArrangeException refused = assertThrows(ArrangeException.class,
                () -> arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT.with(o -> o.chords(ChordSheet.parse("40: C")))));
        assertEquals("chords are given for bar 40, but the song's bars are 1-18", refused.getMessage());
    }

    private static Chord chordAt(List<ChordSpan> chords, long tick) {
        return ChordSpan.at(chords, tick).map(ChordSpan::chord).orElse(null);
    }
}
