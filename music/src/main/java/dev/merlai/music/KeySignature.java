package dev.merlai.music;

import dev.merlai.music.theory.Spelling;

/**
 * A key that holds from its tick on.
 *
 * @param tick  where the key starts, in ticks
 * @param tonic tonic pitch class, 0..11 (0 = C)
 * @param mode  major or minor
 */
public record KeySignature(long tick, int tonic, Mode mode) {

    public enum Mode { MAJOR, MINOR }

    public KeySignature {
        if (tick < 0) throw new IllegalArgumentException("key tick must be >= 0");
        if (tonic < 0 || tonic > 11) throw new IllegalArgumentException("key tonic must be a pitch class 0..11, was " + tonic);
        if (mode == null) throw new IllegalArgumentException("key mode is required");
    }

    /** Parses {@code C:maj}, {@code F#:min}, {@code Bb} (major) or {@code a} (lower case = minor). */
    public static KeySignature parse(long tick, String text) {
        String trimmed = text.trim();
        int colon = trimmed.indexOf(':');
        if (colon < 0) {
            Mode mode = Character.isLowerCase(trimmed.charAt(0)) ? Mode.MINOR : Mode.MAJOR;
            return new KeySignature(tick, PitchClass.parse(trimmed), mode);
        }
        String modeText = trimmed.substring(colon + 1);
        Mode mode = switch (modeText) {
            case "maj", "major" -> Mode.MAJOR;
            case "min", "minor" -> Mode.MINOR;
            default -> throw new IllegalArgumentException("unknown key mode '" + modeText + "' (use maj or min)");
        };
        return new KeySignature(tick, PitchClass.parse(trimmed.substring(0, colon)), mode);
    }

    /** The number of sharps (positive) or flats (negative) of the key signature, -7..7. */
    public int fifths() {
        int majorTonic = mode == Mode.MAJOR ? tonic : (tonic + 3) % 12;
        int fifths = Math.floorMod(majorTonic * 7, 12);
        return fifths > 6 ? fifths - 12 : fifths;
    }

    public static KeySignature fromFifths(long tick, int fifths, Mode mode) {
        int majorTonic = Math.floorMod(fifths * 7, 12);
        return new KeySignature(tick, mode == Mode.MAJOR ? majorTonic : (majorTonic + 9) % 12, mode);
    }

    /** Harte-style key name, the tonic spelled as its own signature has it, e.g. {@code Db:maj}, {@code G#:min}. */
    public String label() {
        return Spelling.name(tonic, this) + (mode == Mode.MAJOR ? ":maj" : ":min");
    }
}
