package dev.merlai.arranger.model;

import dev.merlai.music.Chord;

import java.io.IOException;
import java.util.List;

/**
 * The chord model's classes ({@code chord_vocabulary}): {@code N}, then the same qualities for each of the 12
 * roots from C, root by root.
 *
 * @param labels           Harte label of each class
 * @param qualitiesPerRoot chords per root
 */
public record ChordVocabulary(List<String> labels, int qualitiesPerRoot) {

    /** Reads the layout off the labels, and refuses a vocabulary that does not have it. */
    static ChordVocabulary of(List<String> labels) throws IOException {
        if (labels.size() < 13 || (labels.size() - 1) % 12 != 0 || !Chord.parse(labels.get(0)).isNone()) {
            throw new IOException("chord_vocabulary must be N and then the same qualities for each of 12 roots, has " + labels.size() + " labels");
        }
        int qualities = (labels.size() - 1) / 12;
        for (int c = 1; c < labels.size(); c++) {
            Chord chord = Chord.parse(labels.get(c)), first = Chord.parse(labels.get(1 + (c - 1) % qualities));
            if (chord.root() != (c - 1) / qualities || !chord.quality().equals(first.quality())) {
                throw new IOException("chord_vocabulary is not laid out root by root from C: " + labels.get(c) + " at " + c);
            }
        }
        return new ChordVocabulary(List.copyOf(labels), qualities);
    }

    public int size() {
        return labels.size();
    }

    public Chord chord(int c) {
        return Chord.parse(labels.get(c));
    }

    /** The class of chord {@code c} transposed up by {@code shift} semitones ({@code N} stays {@code N}). */
    public int transposed(int c, int shift) {
        if (c == 0) return 0;
        return 1 + Math.floorMod((c - 1) / qualitiesPerRoot + shift, 12) * qualitiesPerRoot + (c - 1) % qualitiesPerRoot;
    }
}
