package dev.merlai.arranger.live;

import com.fasterxml.jackson.databind.JsonNode;
import dev.merlai.arranger.Examples;
import dev.merlai.arranger.grid.MetricGrid;
import dev.merlai.music.MeterMap;
import dev.merlai.music.Note;
import dev.merlai.music.Score;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RepeatedMelodyTest {

    private static final long BEAT = Score.TICKS_PER_QUARTER;
    private static final long BAR = 4 * BEAT;
    private static final MeterMap FOUR_FOUR = MeterMap.of(4, 4);

    /** Two bars of quarter notes from {@code pitches}, starting at {@code start}. */
    private static List<Note> phrase(long start, int... pitches) {
        List<Note> notes = new ArrayList<>();
        for (int i = 0; i < pitches.length; i++) notes.add(new Note(pitches[i], 80, start + i * BEAT, BEAT));
        return notes;
    }

    private static final int[] A = {60, 62, 64, 65, 67, 65, 64, 62};
    private static final int[] B = {69, 67, 65, 64, 62, 64, 65, 67};

    @Test
    void whenTheBarsJustHeardRepeatAnEarlierPassageItsContinuationComesNext() {
        List<Note> heard = new ArrayList<>(phrase(0, A));
        heard.addAll(phrase(2 * BAR, B));
        heard.addAll(phrase(4 * BAR, A));

        List<Note> guess = RepeatedMelody.after(heard, 6 * BAR, 7 * BAR, FOUR_FOUR);

        assertEquals(phrase(6 * BAR, B).subList(0, 4), guess, "the bar after A came B's first bar, moved to now");
    }

    @Test
    void theClosestEarlierPassageGivesTheGuessWhenNoneRepeatsExactly() {
        int[] aChanged = A.clone();
        aChanged[7] = 60;
        List<Note> heard = new ArrayList<>(phrase(0, A));
        heard.addAll(phrase(2 * BAR, B));
        heard.addAll(phrase(4 * BAR, aChanged));

        assertEquals(phrase(6 * BAR, B).subList(0, 4), RepeatedMelody.after(heard, 6 * BAR, 7 * BAR, FOUR_FOUR),
                "A with one note changed is still closer to A than to B");
    }

    @Test
    void beforeThereIsAnEarlierPassageTheBarsJustHeardArePlayedAgain() {
        List<Note> heard = phrase(0, A).subList(0, 4);

        assertEquals(phrase(BAR, A).subList(0, 4), RepeatedMelody.after(heard, BAR, 2 * BAR, FOUR_FOUR));
    }

    @Test
    void nothingIsGuessedBeforeABarIsHeard() {
        assertTrue(RepeatedMelody.after(phrase(0, A).subList(0, 2), 2 * BEAT, 2 * BEAT + BAR, FOUR_FOUR).isEmpty());
    }

    @Test
    void theGuessStaysWithinTheWindowAskedFor() {
        List<Note> heard = new ArrayList<>(phrase(0, A));
        heard.addAll(phrase(2 * BAR, B));
        heard.addAll(phrase(4 * BAR, A));

        List<Note> guess = RepeatedMelody.after(heard, 6 * BAR, 6 * BAR + BEAT + BEAT / 2, FOUR_FOUR);

        assertEquals(List.of(new Note(69, 80, 6 * BAR, BEAT), new Note(67, 80, 6 * BAR + BEAT, BEAT / 2)), guess,
                "notes start from now and are cut where the window ends");
    }

    @Test
    void passagesAreWholeBarsOfTheSessionsMeterApart() {
        // 3/4: bars X Y X Y X; the last two bars (Y X) are heard two bars earlier, and Y came next
        int[] x = {60, 62, 64}, y = {67, 65, 64};
        List<Note> heard = new ArrayList<>();
        for (int bar = 0; bar < 5; bar++) heard.addAll(phrase(bar * 3 * BEAT, bar % 2 == 0 ? x : y));

        assertEquals(phrase(15 * BEAT, y), RepeatedMelody.after(heard, 15 * BEAT, 18 * BEAT, MeterMap.of(3, 4)));
    }

    /**
     * The guess the live chord model was trained with (training's {@code live_chords.repeated_melody}, on 16th steps) is
     * the engine's: the golden fixture {@code testdata/golden/repeated-melody.json}, written by {@code test_golden.py}.
     */
    @Test
    void guessesAsTheLiveChordModelsTrainingGuesses() throws Exception {
        JsonNode golden = Examples.golden("repeated-melody.json");
        long step = MetricGrid.STEP_TICKS;
        for (JsonNode c : golden.get("cases")) {
            List<Note> heard = new ArrayList<>();
            for (JsonNode n : c.get("melody")) heard.add(new Note(n.get(2).asInt(), 80, n.get(0).asLong() * step, (n.get(1).asLong() - n.get(0).asLong()) * step));
            int now = c.get("now").asInt(), until = c.get("until").asInt();
            List<Note> guess = RepeatedMelody.after(heard, now * step, until * step, FOUR_FOUR);
            int[] pitch = new int[until - now], onset = new int[until - now];
            for (Note note : guess) {
                int first = (int) (note.onset() / step) - now;
                onset[first] = 1;
                for (int t = first; t < (int) (note.end() / step) - now; t++) pitch[t] = note.pitch();
            }
            String where = "cut at step " + now;
            if (c.get("guess_pitch").isNull()) {
                assertTrue(guess.isEmpty(), where);
            } else {
                assertArrayEquals(Examples.ints(c.get("guess_pitch")), pitch, where);
                assertArrayEquals(Examples.ints(c.get("guess_onset")), onset, where);
            }
        }
    }
}
