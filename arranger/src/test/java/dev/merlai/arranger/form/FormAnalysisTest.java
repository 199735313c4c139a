package dev.merlai.arranger.form;

import dev.merlai.arranger.grid.MelodySteps;
import dev.merlai.arranger.grid.MetricGrid;
import dev.merlai.music.MeterMap;
import dev.merlai.music.Note;
import dev.merlai.music.Score;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

class FormAnalysisTest {

    private static final int Q = Score.TICKS_PER_QUARTER;
    private static final int BAR = 4 * Q;
    /** Four bars of quarter notes: a phrase. */
    private static final int[][] VERSE = {{60, 62, 64, 65}, {67, 65, 64, 62}, {60, 64, 67, 64}, {62, 62, 60, 60}};
    private static final int[][] CHORUS = {{72, 71, 69, 67}, {69, 69, 72, 72}, {74, 72, 71, 69}, {67, 67, 67, 67}};

    @Test
    void labelsRepeatedPhrasesAndHearsATransposedRepeat() {
        List<Note> melody = new ArrayList<>();
        int bar = 0;
        for (int[][] phrase : new int[][][]{VERSE, VERSE, CHORUS, VERSE}) {
            for (int[] pitches : phrase) write(melody, bar++, pitches, phrase == VERSE && bar > 12 ? 2 : 0);
        }
        SongForm form = analyse(melody, 16);

        assertEquals("A(1-4) A(5-8) B(9-12) A'(13-16)", form.toString());
        assertEquals(0, form.sections().get(1).repeats());
        assertEquals(-1, form.sections().get(2).repeats());
        assertEquals(2, form.sections().get(3).transposition());
        assertEquals(2, form.sections().get(1).occurrence());
        assertEquals(0, form.repeatsBar()[4], "bar 5 repeats bar 1");
        assertEquals(-1, form.repeatsBar()[8], "the chorus is new");
        assertEquals(0, form.repeatsBar()[12], "bar 13 repeats bar 1 a tone higher");
        assertEquals(2, form.transposition()[12]);
        assertArrayEquals(new int[]{1, 1, 1, 1, 2, 2, 2, 2, 1, 1, 1, 1, 1, 1, 1, 1}, form.occurrence(),
                "a transposed repeat is not a second hearing of the same notes");
    }

    @Test
    void aSlightlyChangedRepeatIsPrimedAndItsChangedBarRepeatsNothing() {
        List<Note> melody = new ArrayList<>();
        int bar = 0;
        for (int[] pitches : VERSE) write(melody, bar++, pitches, 0);
        for (int[] pitches : new int[][]{VERSE[0], VERSE[1], VERSE[2], {62, 64, 62, 60}}) write(melody, bar++, pitches, 0);
        SongForm form = analyse(melody, 8);

        assertEquals("A(1-4) A'(5-8)", form.toString());
        assertEquals(2, form.repeatsBar()[6]);
        assertEquals(-1, form.repeatsBar()[7]);
    }

    @Test
    void restingBarsMakeAnIntroAnInterludeAndAnOutro() {
        List<Note> melody = new ArrayList<>();
        for (int i = 0; i < 4; i++) write(melody, 2 + i, VERSE[i], 0);
        for (int i = 0; i < 4; i++) write(melody, 9 + i, CHORUS[i], 0);
        SongForm form = analyse(melody, 14);

        assertEquals("intro(1-2) A(3-6) interlude(7-9) B(10-13) outro(14)", form.toString());
        assertEquals(0, form.occurrence()[0]);
        assertEquals(true, form.sections().get(2).rest());
    }

    @Test
    void aSingleRestingBarIsABreathNotAnInterlude() {
        List<Note> melody = new ArrayList<>();
        for (int i = 0; i < 4; i++) write(melody, i, VERSE[i], 0);
        for (int i = 0; i < 3; i++) write(melody, 5 + i, CHORUS[i], 0);
        assertEquals("A(1-4) B(5-8)", analyse(melody, 8).toString());
    }

    private static void write(List<Note> melody, int bar, int[] pitches, int shift) {
        for (int beat = 0; beat < pitches.length; beat++) melody.add(new Note(pitches[beat] + shift, 80, (long) bar * BAR + (long) beat * Q, Q));
    }

    private static SongForm analyse(List<Note> melody, int bars) {
        MetricGrid grid = MetricGrid.over(MeterMap.of(4, 4), (long) bars * BAR);
        MelodySteps steps = MelodySteps.of(melody, grid.steps(), grid::nearestStep, grid::nearestStep);
        return FormAnalysis.of(grid, steps);
    }
}
