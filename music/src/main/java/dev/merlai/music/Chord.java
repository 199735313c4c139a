package dev.merlai.music;

import dev.merlai.music.theory.Spelling;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeSet;

/**
 * A chord label in Harte syntax: {@code root:quality/bass}, e.g. {@code F#:min7/5}, {@code Bb:sus4(b7)},
 * {@code C:(1,3,5)}, {@code G} (major), or {@code N} for no chord. Musicians read the common name instead
 * ({@link #commonName}: {@code F#m7/C#}, {@code Bbsus4(b7)}, {@code N.C.}); {@link #parse} reads both.
 *
 * @param root    root pitch class 0..11, or -1 for {@code N}
 * @param quality the shorthand with any parenthesised degrees, e.g. {@code min7}, {@code sus4(b7)}; empty for N
 * @param bass    the bass as a degree above the root, e.g. {@code 5}, {@code b3}; empty for root position
 */
public record Chord(int root, String quality, String bass) {

    public static final Chord NONE = new Chord(-1, "", "");

    /** Harte's shorthands as degree lists. */
    private static final Map<String, String> SHORTHANDS = Map.ofEntries(
            Map.entry("maj", "1,3,5"), Map.entry("min", "1,b3,5"), Map.entry("dim", "1,b3,b5"),
            Map.entry("aug", "1,3,#5"), Map.entry("maj7", "1,3,5,7"), Map.entry("min7", "1,b3,5,b7"),
            Map.entry("7", "1,3,5,b7"), Map.entry("dim7", "1,b3,b5,bb7"), Map.entry("hdim7", "1,b3,b5,b7"),
            Map.entry("minmaj7", "1,b3,5,7"), Map.entry("maj6", "1,3,5,6"), Map.entry("min6", "1,b3,5,6"),
            Map.entry("9", "1,3,5,b7,9"), Map.entry("maj9", "1,3,5,7,9"), Map.entry("min9", "1,b3,5,b7,9"),
            Map.entry("11", "1,3,5,b7,9,11"), Map.entry("min11", "1,b3,5,b7,9,11"),
            Map.entry("13", "1,3,5,b7,9,11,13"), Map.entry("maj13", "1,3,5,7,9,11,13"),
            Map.entry("min13", "1,b3,5,b7,9,11,13"), Map.entry("sus2", "1,2,5"), Map.entry("sus4", "1,4,5"),
            Map.entry("5", "1,5"), Map.entry("1", "1"));
    /** Harte shorthand to the suffix of the common name (C, Cm7, Cm7b5, ...); every shorthand above has one. */
    private static final Map<String, String> COMMON_SUFFIXES = Map.ofEntries(
            Map.entry("maj", ""), Map.entry("min", "m"), Map.entry("dim", "dim"), Map.entry("aug", "aug"),
            Map.entry("maj7", "maj7"), Map.entry("min7", "m7"), Map.entry("7", "7"), Map.entry("dim7", "dim7"),
            Map.entry("hdim7", "m7b5"), Map.entry("minmaj7", "m(maj7)"), Map.entry("maj6", "6"), Map.entry("min6", "m6"),
            Map.entry("9", "9"), Map.entry("maj9", "maj9"), Map.entry("min9", "m9"), Map.entry("11", "11"),
            Map.entry("min11", "m11"), Map.entry("13", "13"), Map.entry("maj13", "maj13"), Map.entry("min13", "m13"),
            Map.entry("sus2", "sus2"), Map.entry("sus4", "sus4"), Map.entry("5", "5"), Map.entry("1", "1"));
    /** Common suffixes (and usual variants) to Harte shorthands. */
    private static final Map<String, String> SUFFIX_SHORTHANDS = Map.ofEntries(
            Map.entry("", "maj"), Map.entry("M", "maj"), Map.entry("maj", "maj"), Map.entry("m", "min"), Map.entry("min", "min"),
            Map.entry("-", "min"), Map.entry("dim", "dim"), Map.entry("o", "dim"), Map.entry("aug", "aug"), Map.entry("+", "aug"),
            Map.entry("maj7", "maj7"), Map.entry("M7", "maj7"), Map.entry("m7", "min7"), Map.entry("min7", "min7"),
            Map.entry("7", "7"), Map.entry("dim7", "dim7"), Map.entry("o7", "dim7"), Map.entry("m7b5", "hdim7"),
            Map.entry("ø", "hdim7"), Map.entry("m(maj7)", "minmaj7"), Map.entry("mM7", "minmaj7"), Map.entry("6", "maj6"),
            Map.entry("m6", "min6"), Map.entry("9", "9"), Map.entry("maj9", "maj9"), Map.entry("m9", "min9"),
            Map.entry("11", "11"), Map.entry("m11", "min11"), Map.entry("13", "13"), Map.entry("maj13", "maj13"),
            Map.entry("m13", "min13"), Map.entry("sus2", "sus2"), Map.entry("sus4", "sus4"), Map.entry("sus", "sus4"),
            Map.entry("5", "5"), Map.entry("1", "1"));
    /** Bass intervals above the root (semitones 0..11) as Harte degrees, for a bass given as a note name. */
    private static final String[] INTERVAL_DEGREES = {"1", "b2", "2", "b3", "3", "4", "b5", "5", "b6", "6", "b7", "7"};
    private static final int[] NATURAL_DEGREE_SEMITONES = {0, 0, 2, 4, 5, 7, 9, 11}; // index = degree 1..7

    public Chord {
        if (root < -1 || root > 11) throw new IllegalArgumentException("chord root must be -1 (N) or 0..11, was " + root);
        if (quality == null || bass == null) throw new IllegalArgumentException("quality and bass must not be null");
        if (root >= 0) {
            intervals(quality); // validates
            if (!bass.isEmpty()) degreeSemitones(bass);
        }
    }

    public static Chord of(int root, String quality) {
        return new Chord(root, quality, "");
    }

    /**
     * Parses a Harte label ({@code A:min7}, {@code N}) or a common name ({@code Am7}, {@code F/C},
     * {@code N.C.}); throws {@link IllegalArgumentException} naming what is wrong.
     */
    public static Chord parse(String label) {
        String text = label == null ? "" : label.trim();
        if (text.isEmpty()) throw new IllegalArgumentException("empty chord label");
        if (text.equals("N") || text.equals("X") || text.equalsIgnoreCase("N.C.") || text.equalsIgnoreCase("NC")) return NONE;
        if (text.indexOf(':') < 0 && !isNoteName(text.contains("/") ? text.substring(0, text.lastIndexOf('/')) : text)) {
            return parseCommon(label, text);
        }
        String bass = "";
        int slash = text.lastIndexOf('/');
        if (slash >= 0 && slash > text.lastIndexOf(')')) {
            bass = text.substring(slash + 1);
            text = text.substring(0, slash);
        }
        int colon = text.indexOf(':');
        String rootText = colon < 0 ? text : text.substring(0, colon);
        if (!bass.isEmpty() && bass.charAt(0) >= 'A' && bass.charAt(0) <= 'G') { // a bass note name: "F/C"
            try {
                bass = INTERVAL_DEGREES[Math.floorMod(PitchClass.parse(bass) - PitchClass.parse(rootText), 12)];
                if (bass.equals("1")) bass = "";
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("chord '" + label + "': " + e.getMessage(), e);
            }
        }
        String quality = colon < 0 ? "maj" : text.substring(colon + 1);
        if (quality.isEmpty()) throw new IllegalArgumentException("chord '" + label + "' has an empty quality");
        try {
            return new Chord(PitchClass.parse(rootText), quality, bass);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("chord '" + label + "': " + e.getMessage(), e);
        }
    }

    /** A common name: root letter and accidentals, a known suffix, extra degrees in parentheses, a bass note. */
    private static Chord parseCommon(String label, String text) {
        int rootEnd = 1;
        while (rootEnd < text.length() && (text.charAt(rootEnd) == '#' || text.charAt(rootEnd) == 'b')) rootEnd++;
        String rest = text.substring(rootEnd);
        String bassName = "";
        int slash = rest.lastIndexOf('/');
        if (slash >= 0 && slash > rest.lastIndexOf(')')) {
            bassName = rest.substring(slash + 1);
            rest = rest.substring(0, slash);
        }
        String extra = "";
        int open = rest.indexOf('(');
        if (open >= 0 && !rest.startsWith("m(maj7)")) {
            extra = rest.substring(open);
            rest = rest.substring(0, open);
        } else if (rest.startsWith("m(maj7)") && rest.length() > 7) {
            extra = rest.substring(7);
            rest = "m(maj7)";
        }
        String shorthand = SUFFIX_SHORTHANDS.get(rest);
        if (shorthand == null) throw new IllegalArgumentException("chord '" + label + "': unknown chord suffix '" + rest + "'");
        try {
            int root = PitchClass.parse(text.substring(0, rootEnd));
            String bass = bassName.isEmpty() ? "" : INTERVAL_DEGREES[Math.floorMod(PitchClass.parse(bassName) - root, 12)];
            return new Chord(root, shorthand + extra, bass.equals("1") ? "" : bass);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("chord '" + label + "': " + e.getMessage(), e);
        }
    }

    private static boolean isNoteName(String text) {
        try {
            PitchClass.parse(text);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    /**
     * The name musicians read, root and bass spelled in the key: {@code Dbmaj7}, {@code Am7}, {@code F/C},
     * {@code Bbsus4(b7)}, {@code N.C.}. A quality without shorthand keeps its Harte form after the root
     * ({@code C:(1,3,5)}); {@link #parse} reads every name back to the same pitch classes.
     *
     * @param key the key to spell in ({@link Spelling#NO_KEY} when none is known)
     */
    public String commonName(KeySignature key) {
        if (isNone()) return "N.C.";
        String root = spelledRoot(key).name();
        int open = quality.indexOf('(');
        String shorthand = open < 0 ? quality : quality.substring(0, open);
        if (shorthand.isEmpty()) return root + ":" + quality + (bass.isEmpty() ? "" : "/" + bass);
        String suffix = COMMON_SUFFIXES.get(shorthand) + (open < 0 ? "" : quality.substring(open));
        return root + suffix + (bass.isEmpty() ? "" : "/" + spelledBass(key).name());
    }

    /** The root spelled in the key ({@code N} has none). */
    public Spelling.Spelled spelledRoot(KeySignature key) {
        return Spelling.spell(root, key);
    }

    /** The bass note spelled as the degree above the spelled root that it is: the b3 of Bb minor is Db. */
    public Spelling.Spelled spelledBass(KeySignature key) {
        if (bass.isEmpty()) return spelledRoot(key);
        int number = Integer.parseInt(bass.replaceAll("[b#]", ""));
        return Spelling.above(spelledRoot(key), number - 1, bassPitchClass(), key);
    }

    /** This chord moved up by {@code semitones} (its quality and bass interval kept); {@link #NONE} stays none. */
    public Chord transposed(int semitones) {
        return isNone() ? this : new Chord(Math.floorMod(root + semitones, 12), quality, bass);
    }

    public boolean isNone() {
        return root < 0;
    }

    /** The pitch classes of the chord (bass included), sorted; empty for N. */
    public int[] pitchClasses() {
        if (isNone()) return new int[0];
        TreeSet<Integer> classes = new TreeSet<>();
        for (int semitones : intervals(quality)) classes.add((root + semitones) % 12);
        classes.add(bassPitchClass());
        return classes.stream().mapToInt(Integer::intValue).toArray();
    }

    /** True when {@code pitchClass} (0..11) sounds in the chord; never for N. */
    public boolean hasPitchClass(int pitchClass) {
        return Arrays.binarySearch(pitchClasses(), pitchClass) >= 0;
    }

    /** The pitch class of the lowest note: the root unless a bass degree is given; -1 for N. */
    public int bassPitchClass() {
        if (isNone()) return -1;
        return bass.isEmpty() ? root : (root + degreeSemitones(bass)) % 12;
    }

    /** True when the chord has a minor third and no major third (the "min" family of chord accuracy). */
    public boolean isMinor() {
        if (isNone()) return false;
        int[] intervals = intervals(quality);
        boolean minorThird = false, majorThird = false;
        for (int interval : intervals) {
            if (interval == 3) minorThird = true;
            if (interval == 4) majorThird = true;
        }
        return minorThird && !majorThird;
    }

    /** The Harte label, with the root spelled C C# D Eb E F F# G Ab A Bb B. */
    public String label() {
        if (isNone()) return "N";
        return PitchClass.name(root) + ":" + quality + (bass.isEmpty() ? "" : "/" + bass);
    }

    @Override
    public String toString() {
        return label();
    }

    /** Semitones above the root of every degree of a quality such as {@code min7} or {@code sus4(b7,*5)}. */
    private static int[] intervals(String quality) {
        String shorthand = quality;
        String extra = "";
        int open = quality.indexOf('(');
        if (open >= 0) {
            if (!quality.endsWith(")")) throw new IllegalArgumentException("unclosed '(' in quality '" + quality + "'");
            shorthand = quality.substring(0, open);
            extra = quality.substring(open + 1, quality.length() - 1);
        }
        TreeSet<Integer> semitones = new TreeSet<>();
        if (!shorthand.isEmpty()) {
            String degrees = SHORTHANDS.get(shorthand);
            if (degrees == null) throw new IllegalArgumentException("unknown chord quality '" + shorthand + "'");
            for (String degree : degrees.split(",")) semitones.add(degreeSemitones(degree) % 12);
        }
        if (!extra.isBlank()) {
            for (String degree : extra.split(",")) {
                String trimmed = degree.trim();
                if (trimmed.startsWith("*")) semitones.remove(degreeSemitones(trimmed.substring(1)) % 12);
                else semitones.add(degreeSemitones(trimmed) % 12);
            }
        }
        if (semitones.isEmpty()) throw new IllegalArgumentException("quality '" + quality + "' has no notes");
        return semitones.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Semitones of a degree such as {@code b3}, {@code #11}, {@code 9}. */
    private static int degreeSemitones(String degree) {
        int i = 0, shift = 0;
        while (i < degree.length() && (degree.charAt(i) == 'b' || degree.charAt(i) == '#')) {
            shift += degree.charAt(i) == '#' ? 1 : -1;
            i++;
        }
        int number;
        try {
            number = Integer.parseInt(degree.substring(i));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + degree + "' is not a chord degree");
        }
        if (number < 1 || number > 13) throw new IllegalArgumentException("chord degree " + number + " is outside 1..13");
        int octave = number > 7 ? 12 : 0;
        int base = NATURAL_DEGREE_SEMITONES[number > 7 ? number - 7 : number];
        return Math.floorMod(base + octave + shift, 24);
    }
}
