package dev.merlai.music;

import dev.merlai.music.theory.Spelling;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Common chord names: what musicians read in marker lanes and lead sheets. */
class ChordNameTest {

    private static final KeySignature D_FLAT = KeySignature.parse(0, "Db:maj");

    @Test
    void harteLabelsBecomeCommonNames() {
        assertEquals("Am7", Chord.parse("A:min7").commonName(Spelling.NO_KEY));
        assertEquals("F/C", Chord.parse("F:maj/5").commonName(Spelling.NO_KEY));
        assertEquals("N.C.", Chord.NONE.commonName(Spelling.NO_KEY));
        assertEquals("Bm7b5", Chord.parse("B:hdim7").commonName(Spelling.NO_KEY));
        assertEquals("Bbsus4(b7)", Chord.parse("Bb:sus4(b7)").commonName(Spelling.NO_KEY));
        assertEquals("C:(1,3,5)", Chord.parse("C:(1,3,5)").commonName(Spelling.NO_KEY));
    }

    @Test
    void rootsAndBassesAreSpelledInTheKey() {
        assertEquals("Gbmaj7", Chord.parse("F#:maj7").commonName(D_FLAT));
        assertEquals("Db/Ab", Chord.parse("C#:maj/5").commonName(D_FLAT));
        assertEquals("Ebm7", Chord.parse("D#:min7").commonName(D_FLAT));
        assertEquals("Bbm/Db", Chord.parse("Bb:min/b3").commonName(Spelling.NO_KEY));
    }

    @Test
    void commonNamesParseBackToTheSameChord() {
        for (String label : new String[] {"A:min7", "F:maj/5", "B:hdim7", "Bb:sus4(b7)", "Eb:maj7", "G:7", "B:dim", "C:(1,3,5)",
                "F#:min7/5", "Ab:minmaj7", "D:maj6/3", "E:min/b3", "C:aug", "N"}) {
            Chord chord = Chord.parse(label);
            for (KeySignature key : new KeySignature[] {Spelling.NO_KEY, D_FLAT, KeySignature.parse(0, "B:maj")}) {
                Chord back = Chord.parse(chord.commonName(key));
                assertEquals(chord, back, label + " in " + key.label() + " as " + chord.commonName(key));
            }
        }
    }

    @Test
    void commonSpellingsThatMusiciansWrite() {
        assertEquals(Chord.parse("A:min"), Chord.parse("Am"));
        assertEquals(Chord.parse("C:maj7"), Chord.parse("CM7"));
        assertEquals(Chord.parse("G:sus4"), Chord.parse("Gsus"));
        assertEquals(Chord.NONE, Chord.parse("N.C."));
        assertArrayEquals(new int[] {0, 5, 9}, Chord.parse("F/C").pitchClasses());
        assertThrows(IllegalArgumentException.class, () -> Chord.parse("Hm7"));
        assertThrows(IllegalArgumentException.class, () -> Chord.parse("Cblah"));
    }
}
