package dev.merlai.music;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChordTest {

    @Test
    void parsesRootQualityAndBass() {
        Chord chord = Chord.parse("F#:min7/5");
        assertEquals(6, chord.root());
        assertEquals("min7", chord.quality());
        assertArrayEquals(new int[]{1, 4, 6, 9}, chord.pitchClasses());
        assertEquals(1, chord.bassPitchClass());
        assertTrue(chord.isMinor());
        assertTrue(chord.hasPitchClass(9));
        assertFalse(chord.hasPitchClass(8));
        assertFalse(Chord.NONE.hasPitchClass(0));
    }

    @Test
    void aBareRootIsMajorAndNIsNoChord() {
        assertEquals(Chord.of(7, "maj"), Chord.parse("G"));
        assertTrue(Chord.parse("N").isNone());
        assertEquals(0, Chord.NONE.pitchClasses().length);
    }

    @Test
    void readsParenthesisedDegreesAndOmissions() {
        assertArrayEquals(new int[]{0, 5, 7, 10}, Chord.parse("C:sus4(b7)").pitchClasses());
        assertArrayEquals(new int[]{0, 2, 4}, Chord.parse("C:maj(9,*5)").pitchClasses());
        assertArrayEquals(new int[]{0, 4, 7}, Chord.parse("C:(1,3,5)").pitchClasses());
    }

    @Test
    void spellsRootsTheWayPop909Does() {
        assertEquals("Eb:maj7", Chord.parse("D#:maj7").label());
        assertEquals("Bb:sus4(b7)", Chord.parse("A#:sus4(b7)").label());
        assertFalse(Chord.parse("Bb:7").isMinor());
    }

    @ParameterizedTest
    @ValueSource(strings = {"H:maj", "C:weird", "C:maj/x", "C:(1,3", "", ":min"})
    void rejectsWhatIsNotHarte(String label) {
        assertThrows(IllegalArgumentException.class, () -> Chord.parse(label));
    }
}
