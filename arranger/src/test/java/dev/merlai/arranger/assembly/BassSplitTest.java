package dev.merlai.arranger.assembly;

import dev.merlai.arranger.roll.StepNote;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The piano part's bass is split off before it is played: the lowest note of an onset, when it is low enough. */
class BassSplitTest {

    @Test
    void theLowestNoteOfAPianoOnsetIsTheBassWhenLowEnough() {
        List<StepNote> part = List.of(
                new StepNote(50, 0, 4), new StepNote(62, 0, 4),      // chord over 50: 50 is the bass
                new StepNote(47, 4, 8),                              // alone below 48: bass
                new StepNote(50, 8, 12),                             // alone at 50: piano
                new StepNote(55, 12, 16), new StepNote(59, 12, 16),  // chord from 55: no bass
                new StepNote(51, 16, 20), new StepNote(45, 16, 17)); // the lowest, listed last: 45 is the bass, 51 stays
        BassSplit split = BassSplit.of(part);
        assertEquals(List.of(new StepNote(50, 0, 4), new StepNote(47, 4, 8), new StepNote(45, 16, 17)), split.bass());
        assertEquals(List.of(new StepNote(62, 0, 4), new StepNote(50, 8, 12), new StepNote(55, 12, 16), new StepNote(59, 12, 16),
                new StepNote(51, 16, 20)), split.piano());
    }

    @Test
    void anOnsetIsItsStepNotHowLongItsNotesLast() {
        // a held note under a shorter one, both struck on step 0: one onset of two notes
        BassSplit split = BassSplit.of(List.of(new StepNote(49, 0, 16), new StepNote(64, 0, 2), new StepNote(49, 16, 18)));
        assertEquals(List.of(new StepNote(49, 0, 16)), split.bass());
        assertEquals(List.of(new StepNote(64, 0, 2), new StepNote(49, 16, 18)), split.piano(), "49 alone is above the lone bass's range");
    }
}
