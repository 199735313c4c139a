package dev.merlai.music.musicxml;

import java.util.Map;
import java.util.stream.Collectors;

/**
 * MusicXML {@code <kind>} values and Harte shorthands, both ways. MusicXML kinds without a Harte shorthand
 * map to the nearest one ({@code augmented-seventh} to {@code aug(b7)}, {@code major-11th} to
 * {@code maj9(11)}); unknown or functional kinds (Neapolitan, Italian, French, German, Tristan, other) fall
 * back to the major family, or to the minor family when the kind's name starts with {@code minor}.
 */
final class HarmonyKinds {

    /** MusicXML kind to Harte quality (one shorthand, maybe with degrees). */
    private static final Map<String, String> TO_HARTE = Map.ofEntries(
            Map.entry("major", "maj"), Map.entry("minor", "min"), Map.entry("augmented", "aug"),
            Map.entry("diminished", "dim"), Map.entry("dominant", "7"), Map.entry("major-seventh", "maj7"),
            Map.entry("minor-seventh", "min7"), Map.entry("diminished-seventh", "dim7"),
            Map.entry("augmented-seventh", "aug(b7)"), Map.entry("half-diminished", "hdim7"),
            Map.entry("major-minor", "minmaj7"), Map.entry("major-sixth", "maj6"), Map.entry("minor-sixth", "min6"),
            Map.entry("dominant-ninth", "9"), Map.entry("major-ninth", "maj9"), Map.entry("minor-ninth", "min9"),
            Map.entry("dominant-11th", "11"), Map.entry("major-11th", "maj9(11)"), Map.entry("minor-11th", "min11"),
            Map.entry("dominant-13th", "13"), Map.entry("major-13th", "maj13"), Map.entry("minor-13th", "min13"),
            Map.entry("suspended-second", "sus2"), Map.entry("suspended-fourth", "sus4"),
            Map.entry("power", "5"), Map.entry("pedal", "1"));

    /**
     * Harte shorthand to MusicXML kind: {@link #TO_HARTE} read backwards, leaving out the kinds mapped to a shorthand
     * with degrees (those are not shorthands {@link dev.merlai.music.Chord} knows).
     */
    private static final Map<String, String> TO_KIND = TO_HARTE.entrySet().stream()
            .filter(entry -> !entry.getValue().contains("("))
            .collect(Collectors.toUnmodifiableMap(Map.Entry::getValue, Map.Entry::getKey));

    /** Bass intervals above the root (semitones 0..11) as Harte degrees. */
    private static final String[] INTERVAL_DEGREES = {"", "b2", "2", "b3", "3", "4", "b5", "5", "b6", "6", "b7", "7"};

    private HarmonyKinds() {
    }

    /** The Harte quality of a MusicXML kind (never null; unknown kinds fall back as described above). */
    static String harteQuality(String kind) {
        String quality = TO_HARTE.get(kind);
        if (quality != null) return quality;
        return kind.startsWith("minor") ? "min" : "maj";
    }

    /** The MusicXML kind of a Harte shorthand (without degrees), or null when MusicXML has none. */
    static String musicXmlKind(String shorthand) {
        return TO_KIND.get(shorthand);
    }

    /** The Harte bass degree of a bass note the given semitones above the root; empty for the root itself. */
    static String bassDegree(int semitonesAboveRoot) {
        return INTERVAL_DEGREES[Math.floorMod(semitonesAboveRoot, 12)];
    }
}
