package dev.merlai.music.theory;

import dev.merlai.music.KeySignature;

/**
 * Spells pitch classes in a key, as a musician reads them: Db, not C#, in D-flat major.
 *
 * <p>Works on the line of fifths (F = -1, C = 0, G = 1, ...; each pitch class has a spelling every 12 steps).
 * The key's seven notes are spelled as its signature has them. Other pitch classes take the single-accidental
 * spelling nearest the key's centre on that line; minor keys lean one fifth sharper, so that their raised
 * sixth and seventh come out sharp (G# in A minor). Fb, Cb, E# and B# are only used where the key holds them.
 */
public final class Spelling {

    private static final String LETTERS = "FCGDAEB";
    private static final String SCALE_LETTERS = "CDEFGAB";
    private static final int[] NATURAL_PITCH_CLASSES = {0, 2, 4, 5, 7, 9, 11};
    /** Gb and A#: the flattest and sharpest line-of-fifths positions used for notes outside the key. */
    private static final int FLATTEST_CHROMATIC = -6, SHARPEST_CHROMATIC = 10;

    /** The spelling used when no key is known: C major's (C# Eb F# Ab Bb). */
    public static final KeySignature NO_KEY = new KeySignature(0, 0, KeySignature.Mode.MAJOR);

    private Spelling() {
    }

    /** A spelled pitch class: the letter (C..B) and its alteration in semitones (-2..2). */
    public record Spelled(char step, int alter) {
        /** The name as written in chord symbols, e.g. {@code Db}, {@code F#}. */
        public String name() {
            return step + (alter < 0 ? "b".repeat(-alter) : "#".repeat(alter));
        }
    }

    /** The spelling of a pitch class (0..11, taken modulo 12) in a key. */
    public static Spelled spell(int pitchClass, KeySignature key) {
        int fifths = key.fifths();
        int position = Math.floorMod(pitchClass * 7, 12); // on the line of fifths, 0..11 (C..E#); F is 11 here
        if (position == 11) position = -1;
        int centre = fifths + 2 + (key.mode() == KeySignature.Mode.MINOR ? 1 : 0);
        int best = Integer.MIN_VALUE;
        for (int candidate = position - 24; candidate <= position + 24; candidate += 12) {
            boolean inKey = candidate >= fifths - 1 && candidate <= fifths + 5;
            if (inKey) return spelledAt(candidate);
            if (candidate < FLATTEST_CHROMATIC || candidate > SHARPEST_CHROMATIC) continue;
            // On a tie (a tritone away from the centre), the flat spelling: Ab, not G#, in C major.
            if (best == Integer.MIN_VALUE || Math.abs(candidate - centre) < Math.abs(best - centre)) best = candidate;
        }
        return spelledAt(best);
    }

    /** The name of a pitch class in a key, e.g. {@code Db}. */
    public static String name(int pitchClass, KeySignature key) {
        return spell(pitchClass, key).name();
    }

    /**
     * The spelling of a chord tone: the letter {@code letterSteps} above the root's (a third above Bb is a D),
     * altered to the pitch class (Db); the key's spelling when that would take more than two accidentals.
     */
    public static Spelled above(Spelled root, int letterSteps, int pitchClass, KeySignature key) {
        int letter = Math.floorMod(SCALE_LETTERS.indexOf(root.step()) + letterSteps, 7);
        int alter = Math.floorMod(pitchClass - NATURAL_PITCH_CLASSES[letter] + 6, 12) - 6;
        return Math.abs(alter) <= 2 ? new Spelled(SCALE_LETTERS.charAt(letter), alter) : spell(pitchClass, key);
    }

    private static Spelled spelledAt(int lineOfFifths) {
        int shifted = lineOfFifths + 1; // F at 0
        return new Spelled(LETTERS.charAt(Math.floorMod(shifted, 7)), Math.floorDiv(shifted, 7));
    }
}
