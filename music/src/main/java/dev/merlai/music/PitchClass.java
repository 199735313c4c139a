package dev.merlai.music;

/** Pitch-class names: parsing any common spelling, and writing the one spelling Merlai uses. */
public final class PitchClass {

    /** The spelling Merlai writes, as POP909's chord labels do. */
    private static final String[] NAMES = {"C", "C#", "D", "Eb", "E", "F", "F#", "G", "Ab", "A", "Bb", "B"};
    private static final int[] NATURALS = {9, 11, 0, 2, 4, 5, 7}; // A B C D E F G

    private PitchClass() {
    }

    public static String name(int pitchClass) {
        return NAMES[Math.floorMod(pitchClass, 12)];
    }

    /** Parses a note name such as {@code C}, {@code f#}, {@code Bb}, {@code Ebb}, {@code B#}. */
    public static int parse(String name) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("empty pitch name");
        char letter = Character.toUpperCase(name.charAt(0));
        if (letter < 'A' || letter > 'G') throw new IllegalArgumentException("'" + name + "' is not a pitch name");
        int pc = NATURALS[letter - 'A'];
        for (int i = 1; i < name.length(); i++) {
            char accidental = name.charAt(i);
            if (accidental == '#') pc++;
            else if (accidental == 'b') pc--;
            else throw new IllegalArgumentException("'" + name + "' is not a pitch name");
        }
        return Math.floorMod(pc, 12);
    }
}
