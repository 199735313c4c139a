package dev.merlai.music.theory;

import dev.merlai.music.KeySignature;
import dev.merlai.music.MeterMap;
import dev.merlai.music.Note;
import dev.merlai.music.PitchClass;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.TempoMap;
import dev.merlai.music.Track;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A melody heard alone is given the key its notes, its phrase ends and its last note point to. */
class MelodyKeyTest {

    private static final int Q = Score.TICKS_PER_QUARTER;

    /** Quarter notes, a half-note rest after each phrase of four. */
    private static List<Note> melody(int... pitches) {
        List<Note> notes = new ArrayList<>();
        long tick = 0;
        for (int i = 0; i < pitches.length; i++) {
            notes.add(new Note(pitches[i], 90, tick, Q));
            tick += (i % 4 == 3) ? 3 * Q : Q;
        }
        return notes;
    }

    private static Score melodyOnly(List<KeySignature> keys, List<Note> notes) {
        Track melody = new Track("MELODY", Role.MELODY, 0, 0, notes);
        return new Score(TempoMap.constant(120), MeterMap.of(4, 4), keys, List.of(), List.of(melody));
    }

    // D-flat major: Db Eb F Gb Ab Bb C; phrases end on Ab, Db, Ab, Db
    private static final List<Note> D_FLAT_MAJOR = melody(61, 63, 65, 68, 70, 68, 65, 61, 66, 65, 63, 68, 65, 63, 60, 61);
    // A minor, the relative of C major: phrases end on E and A, the song on A
    private static final List<Note> A_MINOR = melody(69, 71, 72, 76, 74, 72, 71, 69, 72, 71, 69, 64, 71, 68, 71, 69);

    @Test
    void aMelodyWithoutAKeyIsGivenTheKeyItsNotesPointTo() {
        assertEquals(new KeySignature(0, PitchClass.parse("Db"), KeySignature.Mode.MAJOR), KeyFinder.estimateFromMelody(D_FLAT_MAJOR));
        KeyFinder.Decision decision = KeyFinder.decide(melodyOnly(List.of(), D_FLAT_MAJOR));
        assertEquals("Db:maj", decision.key().label());
        assertFalse(decision.fromFile());
        assertTrue(decision.explanation().contains("estimated from the melody"), decision.explanation());
    }

    @Test
    void aMelodyEndingOnItsMinorTonicIsInTheMinorKeyNotItsRelativeMajor() {
        assertEquals("A:min", KeyFinder.decide(melodyOnly(List.of(), A_MINOR)).key().label());
    }

    @Test
    void aDefaultKeySignatureIsOverruledButAKeyTheMelodyFitsIsKept() {
        KeyFinder.Decision overruled = KeyFinder.decide(melodyOnly(List.of(KeySignature.parse(0, "C:maj")), D_FLAT_MAJOR));
        assertEquals("Db:maj", overruled.key().label());
        assertTrue(overruled.explanation().contains("the file's C:maj"), overruled.explanation());
        KeyFinder.Decision kept = KeyFinder.decide(melodyOnly(List.of(KeySignature.parse(0, "Db:maj")), D_FLAT_MAJOR));
        assertEquals("Db:maj", kept.key().label());
        assertTrue(kept.fromFile());
    }
}
