package dev.merlai.music;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Chords a user gives for some bars, leaving the others open: {@code "1-8: C G Am F | 17: F"}. Sections are separated
 * by {@code |} or new lines (a chords file; {@code #} starts a comment); each names a bar or a range of bars, a colon,
 * then one token per bar, repeated in order when the range has more bars than tokens ({@code 1-8: C G Am F} is C G Am F
 * C G Am F). A token holding several chords joined by commas splits its bar evenly ({@code C,G}: two beats each in
 * 4/4). Chords are Harte labels or common names ({@link Chord#parse}): {@code Am7}, {@code F/C}, {@code A:min7},
 * {@code N.C.}. {@link #toString} writes the same syntax back.
 *
 * @param bars the chords of each given bar (bar number, 1-based; 0 is a pickup), each list splitting its bar evenly
 */
public record ChordSheet(Map<Integer, List<Chord>> bars) {

    public static final ChordSheet EMPTY = new ChordSheet(Map.of());

    public ChordSheet {
        TreeMap<Integer, List<Chord>> sorted = new TreeMap<>();
        for (Map.Entry<Integer, List<Chord>> bar : bars.entrySet()) {
            if (bar.getKey() < 0) throw new IllegalArgumentException("bar numbers start at 0 (the pickup), was " + bar.getKey());
            if (bar.getValue().isEmpty()) throw new IllegalArgumentException("bar " + bar.getKey() + " has no chord");
            sorted.put(bar.getKey(), List.copyOf(bar.getValue()));
        }
        bars = Collections.unmodifiableMap(sorted);
    }

    /** Parses the syntax above; throws {@link IllegalArgumentException} naming the section and what is wrong. */
    public static ChordSheet parse(String text) {
        Map<Integer, List<Chord>> bars = new TreeMap<>();
        for (String line : text.split("\\R")) {
            int comment = line.indexOf('#');
            String content = comment < 0 ? line : line.substring(0, comment);
            for (String section : content.split("\\|")) {
                if (!section.isBlank()) parseSection(section.trim(), bars);
            }
        }
        if (bars.isEmpty()) throw new IllegalArgumentException("no chords given: write e.g. '1-8: C G Am F | 17: F'");
        return new ChordSheet(bars);
    }

    private static void parseSection(String section, Map<Integer, List<Chord>> bars) {
        int colon = section.indexOf(':');
        // a Harte label has a colon too ("A:min"); the bar part is digits, a dash and spaces only
        if (colon < 0 || !section.substring(0, colon).matches("\\s*\\d+\\s*(-\\s*\\d+\\s*)?")) {
            throw new IllegalArgumentException("'" + section + "' must start with bars and a colon, as in '1-8: C G Am F'");
        }
        String[] range = section.substring(0, colon).split("-");
        int first = Integer.parseInt(range[0].trim());
        int last = range.length > 1 ? Integer.parseInt(range[1].trim()) : first;
        if (last < first) throw new IllegalArgumentException("'" + section + "': bars " + first + "-" + last + " run backwards");
        String[] tokens = section.substring(colon + 1).trim().split("\\s+");
        if (tokens.length == 1 && tokens[0].isEmpty()) throw new IllegalArgumentException("'" + section + "' names no chord");
        if (tokens.length > last - first + 1) {
            throw new IllegalArgumentException("'" + section + "' has " + tokens.length + " bars of chords for " + (last - first + 1)
                    + " bars (join the chords of one bar with commas: C,G)");
        }
        List<List<Chord>> perToken = new ArrayList<>();
        for (String token : tokens) {
            List<Chord> chords = new ArrayList<>();
            for (String label : splitOutsideParentheses(token)) {
                try {
                    chords.add(Chord.parse(label));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("'" + section + "': " + e.getMessage(), e);
                }
            }
            perToken.add(chords);
        }
        for (int bar = first; bar <= last; bar++) {
            if (bars.put(bar, perToken.get((bar - first) % perToken.size())) != null) {
                throw new IllegalArgumentException("bar " + bar + " is given twice");
            }
        }
    }

    /** Splits at commas that are not inside a Harte quality's parentheses ({@code C:(1,3,5),G}). */
    private static List<String> splitOutsideParentheses(String token) {
        List<String> parts = new ArrayList<>();
        int depth = 0, start = 0;
        for (int i = 0; i < token.length(); i++) {
            char c = token.charAt(i);
            if (c == '(') depth++;
            else if (c == ')') depth--;
            else if (c == ',' && depth == 0) {
                parts.add(token.substring(start, i));
                start = i + 1;
            }
        }
        parts.add(token.substring(start));
        for (String part : parts) if (part.isBlank()) throw new IllegalArgumentException("'" + token + "' has an empty chord between commas");
        return parts;
    }

    public boolean isEmpty() {
        return bars.isEmpty();
    }

    /** The chords of this bar, or an empty list when the bar is open. */
    public List<Chord> chordsOf(int bar) {
        return bars.getOrDefault(bar, List.of());
    }

    /** One section per bar, common names spelled in {@code key}: {@code 9: C | 10: G,Am}; parses back to the same chords. */
    public String toString(KeySignature key) {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<Integer, List<Chord>> bar : bars.entrySet()) {
            if (text.length() > 0) text.append(" | ");
            text.append(bar.getKey()).append(": ");
            for (int i = 0; i < bar.getValue().size(); i++) text.append(i > 0 ? "," : "").append(bar.getValue().get(i).commonName(key));
        }
        return text.toString();
    }
}
