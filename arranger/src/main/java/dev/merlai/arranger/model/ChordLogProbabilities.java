package dev.merlai.arranger.model;

/**
 * The chord model's answer: per step, the log-probability of each chord class of its vocabulary.
 *
 * @param perStep    [steps][classes]
 * @param vocabulary what the classes are
 */
public record ChordLogProbabilities(double[][] perStep, ChordVocabulary vocabulary) {

    public int steps() {
        return perStep.length;
    }

    public double logProbability(int step, int chordClass) {
        return perStep[step][chordClass];
    }
}
