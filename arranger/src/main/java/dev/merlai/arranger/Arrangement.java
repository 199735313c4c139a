package dev.merlai.arranger;

import dev.merlai.arranger.harmony.ChordLayer;
import dev.merlai.music.KeySignature;
import dev.merlai.music.Score;
import dev.merlai.music.theory.Spelling;

import java.util.List;

/**
 * An arranged score and how it came about.
 *
 * @param score         the input's tracks kept note for note (moved later by {@code movedTicks}), plus the generated
 *                      accompaniment and chord labels
 * @param meter         what was decided about bar lines (kept or inferred, and why)
 * @param key           the key used, e.g. {@code G:maj}, and whether it was given or estimated
 * @param form          the song's form heard from its melody, e.g. {@code A(1-8) A(9-16) B(17-24) A'(25-32)}
 * @param movedTicks    how far the whole input was moved later to make room for an asked-for intro (0: not moved)
 * @param intro         the intro in words, e.g. {@code bars 1-4 (the melody moved 4 bars later)}, or {@code none}
 * @param ending        the ending in words, e.g. {@code bars 17-18, on C:maj}, or {@code none}
 * @param generatedBars the bar numbers that were generated, e.g. {@code 1-32}
 * @param modelVersion  the models that made it
 * @param millis        time spent arranging, in milliseconds
 * @param chordChoices  per phrase with chords the model chose, the chosen progression and the next-best ones
 */
public record Arrangement(Score score, String meter, String key, String form, long movedTicks, String intro, String ending,
                          String generatedBars, String modelVersion, long millis, List<ChordLayer.PhraseChoices> chordChoices) {

    /** The chord choices spelled in the arrangement's first key, as the result JSON lists them. */
    public List<ChordLayer.Spelled> spelledChordChoices() {
        KeySignature key = score.keys().isEmpty() ? Spelling.NO_KEY : score.keys().get(0);
        return chordChoices.stream().map(choices -> choices.spelled(key)).toList();
    }
}
