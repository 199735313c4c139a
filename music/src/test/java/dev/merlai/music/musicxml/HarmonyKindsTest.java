package dev.merlai.music.musicxml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HarmonyKindsTest {

    @ParameterizedTest
    @ValueSource(strings = {"major", "minor", "augmented", "diminished", "dominant", "major-seventh", "minor-seventh",
            "diminished-seventh", "half-diminished", "major-minor", "major-sixth", "minor-sixth", "dominant-ninth",
            "major-ninth", "minor-ninth", "dominant-11th", "minor-11th", "dominant-13th", "major-13th", "minor-13th",
            "suspended-second", "suspended-fourth", "power", "pedal"})
    void aKindWithAPlainShorthandIsWrittenBackAsItself(String kind) {
        assertEquals(kind, HarmonyKinds.musicXmlKind(HarmonyKinds.harteQuality(kind)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"aug(b7)", "maj9(11)", "unknown"})
    void aShorthandWithDegreesOrUnknownHasNoKind(String shorthand) {
        assertNull(HarmonyKinds.musicXmlKind(shorthand));
    }
}
