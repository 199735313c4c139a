package dev.merlai.music;

import dev.merlai.music.theory.Spelling;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChordSheetTest {

    @Test
    void aRangeRepeatsItsChordsBarByBarAndOtherBarsStayOpen() {
        ChordSheet sheet = ChordSheet.parse("1-8: C G Am F | 17: F");
        assertEquals(List.of(Chord.parse("C")), sheet.chordsOf(1));
        assertEquals(List.of(Chord.parse("Am")), sheet.chordsOf(3));
        assertEquals(List.of(Chord.parse("C")), sheet.chordsOf(5));
        assertEquals(List.of(Chord.parse("F")), sheet.chordsOf(8));
        assertEquals(List.of(Chord.parse("F")), sheet.chordsOf(17));
        assertTrue(sheet.chordsOf(9).isEmpty());
        assertEquals(9, sheet.bars().size());
    }

    @Test
    void commasSplitABarAndHarteAndCommonNamesBothRead() {
        ChordSheet sheet = ChordSheet.parse("4: A:min7,F/C | 5-6: C:(1,3,5) N.C.");
        assertEquals(List.of(Chord.parse("Am7"), Chord.parse("F:maj/5")), sheet.chordsOf(4));
        assertEquals(List.of(Chord.parse("C")).get(0).pitchClasses().length, sheet.chordsOf(5).get(0).pitchClasses().length);
        assertTrue(sheet.chordsOf(6).get(0).isNone());
    }

    @Test
    void aChordsFileHasOneSectionPerLineAndComments() {
        ChordSheet sheet = ChordSheet.parse("# verse\n1-2: Dm G7\n\n3: Cmaj7  # home\n");
        assertEquals(3, sheet.bars().size());
        assertEquals(Chord.parse("G:7"), sheet.chordsOf(2).get(0));
    }

    @Test
    void writesTheSyntaxItReads() {
        ChordSheet sheet = ChordSheet.parse("9-10: C G,Am/E");
        assertEquals("9: C | 10: G,Am/E", sheet.toString(Spelling.NO_KEY));
        assertEquals(sheet, ChordSheet.parse(sheet.toString(Spelling.NO_KEY)));
    }

    @Test
    void badSpecsSayWhatIsWrong() {
        assertEquals("'C G Am F' must start with bars and a colon, as in '1-8: C G Am F'",
                assertThrows(IllegalArgumentException.class, () -> ChordSheet.parse("C G Am F")).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ChordSheet.parse("1-2: C Xq")).getMessage().contains("Xq"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ChordSheet.parse("1-2: C G Am")).getMessage().contains("3 bars of chords for 2 bars"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ChordSheet.parse("1-4: C | 3: G")).getMessage().contains("bar 3 is given twice"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ChordSheet.parse("8-1: C")).getMessage().contains("backwards"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> ChordSheet.parse("1: C,,G")).getMessage().contains("empty chord"));
        assertThrows(IllegalArgumentException.class, () -> ChordSheet.parse(" | "));
    }
}
