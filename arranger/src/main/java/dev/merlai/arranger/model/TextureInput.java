package dev.merlai.arranger.model;

import dev.merlai.arranger.roll.PianoRoll;

/**
 * The texture model's inputs beyond the melody, flattened row-major (step first).
 *
 * @param melody      the melody features
 * @param chordChroma [steps x 12]: 1 for each pitch class of the chord at the step
 * @param chordBass   bass pitch class of the chord at the step, 12 for none
 * @param density     accompaniment onsets per beat wanted in the step's bar
 * @param knownNotes  the accompaniment where given
 * @param knownMask   1 where the step's accompaniment is given
 */
public record TextureInput(MelodyFeatures melody, float[] chordChroma, long[] chordBass, float[] density,
                           PianoRoll knownNotes, float[] knownMask) {

    public static final int CHANNELS = 4;
    public static final int PITCHES = 88;
    public static final int LOWEST_PITCH = 21;
}
