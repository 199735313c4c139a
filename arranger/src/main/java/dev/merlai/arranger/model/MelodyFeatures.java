package dev.merlai.arranger.model;

/**
 * What both models see of the melody, one entry per 16th-note step (the ONNX inputs of the same names).
 *
 * @param melodyPitch MIDI pitch of the highest melody note sounding in the step, 0 for a rest
 * @param melodyOnset 1 where a melody note starts in the step
 * @param metricPos   16th steps since the bar's downbeat, 0..47
 * @param barSteps    length of the step's bar in 16th steps, 1..48
 * @param style       index of the style in the model's {@code styles}
 */
public record MelodyFeatures(long[] melodyPitch, float[] melodyOnset, long[] metricPos, long[] barSteps, long style) {

    public int steps() {
        return melodyPitch.length;
    }
}
