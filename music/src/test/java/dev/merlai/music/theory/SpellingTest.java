package dev.merlai.music.theory;

import dev.merlai.music.KeySignature;
import dev.merlai.music.PitchClass;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class SpellingTest {

    private static List<String> chromatic(String key) {
        KeySignature signature = KeySignature.parse(0, key);
        List<String> names = new ArrayList<>();
        for (int pc = 0; pc < 12; pc++) names.add(Spelling.name(pc, signature));
        return names;
    }

    @Test
    void flatKeysSpellWithFlats() {
        assertEquals(List.of("C", "Db", "D", "Eb", "E", "F", "Gb", "G", "Ab", "A", "Bb", "B"), chromatic("Db:maj"));
        assertEquals(List.of("C", "Db", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"), chromatic("F:maj"));
    }

    @Test
    void sharpKeysSpellWithSharps() {
        assertEquals(List.of("C", "C#", "D", "D#", "E", "E#", "F#", "G", "G#", "A", "A#", "B"), chromatic("F#:maj"));
        assertEquals(List.of("C", "C#", "D", "D#", "E", "F", "F#", "G", "G#", "A", "A#", "B"), chromatic("E:maj"));
    }

    @Test
    void cMajorUsesTheCommonChromaticNamesAndMinorKeysRaiseTheirSeventh() {
        assertEquals(List.of("C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"), chromatic("C:maj"));
        assertEquals("G#", Spelling.name(PitchClass.parse("G#"), KeySignature.parse(0, "A:min")));
        assertEquals(new Spelling.Spelled('E', 1), Spelling.spell(5, KeySignature.parse(0, "F#:maj")));
    }

    @Test
    void chordTonesAreSpelledAboveTheirRoot() {
        Spelling.Spelled bFlat = new Spelling.Spelled('B', -1);
        assertEquals("Db", Spelling.above(bFlat, 2, 1, Spelling.NO_KEY).name());
        assertEquals("F", Spelling.above(bFlat, 4, 5, Spelling.NO_KEY).name());
    }
}
