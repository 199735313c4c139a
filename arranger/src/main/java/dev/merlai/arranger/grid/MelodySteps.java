package dev.merlai.arranger.grid;

import dev.merlai.music.Note;

import java.util.List;
import java.util.function.LongToIntFunction;

/**
 * A melody as the models read it, one entry per 16th step: the highest melody pitch sounding in the step (0 for a
 * rest) and 1 where a melody note starts. The downbeat model reads it on the melody's own 16th grid, the chord and
 * texture models on the bars' grid; only the mapping from ticks to steps differs.
 *
 * @param pitch MIDI pitch of the highest melody note sounding in each step, 0 for a rest
 * @param onset 1 where a melody note starts in the step
 */
public record MelodySteps(long[] pitch, float[] onset) {

    /**
     * @param onsetStep the step a note starting at a tick begins on, within 0..steps-1
     * @param endStep   the step a note ending at a tick stops before, at most steps
     */
    public static MelodySteps of(List<Note> melody, int steps, LongToIntFunction onsetStep, LongToIntFunction endStep) {
        long[] pitch = new long[steps];
        float[] onset = new float[steps];
        for (Note note : melody) {
            int first = onsetStep.applyAsInt(note.onset());
            int end = Math.max(first + 1, endStep.applyAsInt(note.end()));
            onset[first] = 1;
            for (int t = first; t < end && t < steps; t++) pitch[t] = Math.max(pitch[t], note.pitch());
        }
        return new MelodySteps(pitch, onset);
    }
}
