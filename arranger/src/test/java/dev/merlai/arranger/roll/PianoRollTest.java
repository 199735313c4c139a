package dev.merlai.arranger.roll;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PianoRollTest {

    @Test
    void eachPartKeepsItsOwnOnsetsAndSoundingKeys() {
        PianoRoll roll = PianoRoll.silent(8);
        roll.setOnset(2, Part.PIANO, 60, true);
        roll.setSounding(3, Part.COUNTER_MELODY, 60, true);
        assertTrue(roll.onset(2, Part.PIANO, 60));
        assertFalse(roll.sounding(2, Part.PIANO, 60), "onset and sounding are set apart");
        assertFalse(roll.onset(2, Part.COUNTER_MELODY, 60));
        assertFalse(roll.onset(2, Part.PIANO, 61));
        assertTrue(roll.sounding(3, Part.COUNTER_MELODY, 60));
        assertTrue(roll.anyOnset(2));
        assertFalse(roll.anyOnset(3));
    }

    @Test
    void coversTheEightyEightKeysOfAPiano() {
        PianoRoll roll = PianoRoll.silent(1);
        assertTrue(roll.covers(21) && roll.covers(108));
        assertFalse(roll.covers(20) || roll.covers(109));
        roll.setOnset(0, Part.COUNTER_MELODY, 108, true);
        roll.setOnset(0, Part.PIANO, 21, true);
        assertEquals(List.of(new StepNote(108, 0, 1)), roll.notes(Part.COUNTER_MELODY, t -> true));
        assertEquals(List.of(new StepNote(21, 0, 1)), roll.notes(Part.PIANO, t -> true));
    }

    @Test
    void aNoteLastsWhileItsKeySoundsWithoutANewOnset() {
        PianoRoll roll = PianoRoll.silent(8);
        play(roll, 48, 0, 3);
        play(roll, 48, 3, 5);
        play(roll, 64, 1, 2);
        roll.setSounding(7, Part.PIANO, 64, true);   // a hold without an onset is no note
        assertEquals(List.of(new StepNote(48, 0, 3), new StepNote(48, 3, 5), new StepNote(64, 1, 2)), roll.notes(Part.PIANO, t -> true));
        assertEquals(List.of(new StepNote(48, 3, 5)), roll.notes(Part.PIANO, t -> t >= 3), "only notes starting on accepted steps");
    }

    @Test
    void copiesStepsOfEveryPart() {
        PianoRoll roll = PianoRoll.silent(8);
        play(roll, 50, 0, 2);
        roll.setOnset(1, Part.COUNTER_MELODY, 70, true);
        roll.copySteps(0, 4, 4);
        assertTrue(roll.onset(4, Part.PIANO, 50) && roll.sounding(5, Part.PIANO, 50));
        assertTrue(roll.onset(5, Part.COUNTER_MELODY, 70));
        assertFalse(roll.sounding(6, Part.PIANO, 50));
    }

    private static void play(PianoRoll roll, int pitch, int first, int end) {
        roll.setOnset(first, Part.PIANO, pitch, true);
        for (int t = first; t < end; t++) roll.setSounding(t, Part.PIANO, pitch, true);
    }
}
