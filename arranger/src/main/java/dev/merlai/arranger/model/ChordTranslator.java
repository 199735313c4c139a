package dev.merlai.arranger.model;

import ai.djl.ndarray.NDList;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

/** Melody features in; per step, the log-probability of each chord of the vocabulary out (log-softmax of the logits). */
final class ChordTranslator implements NoBatchifyTranslator<MelodyFeatures, ChordLogProbabilities> {

    private final ChordVocabulary vocabulary;

    ChordTranslator(ChordVocabulary vocabulary) {
        this.vocabulary = vocabulary;
    }

    @Override
    public NDList processInput(TranslatorContext ctx, MelodyFeatures input) {
        return Tensors.melody(ctx.getNDManager(), input);
    }

    @Override
    public ChordLogProbabilities processOutput(TranslatorContext ctx, NDList list) {
        float[][] logits = Tensors.perStep(list.get(0));
        double[][] perStep = new double[logits.length][];
        for (int t = 0; t < logits.length; t++) {
            if (logits[t].length != vocabulary.size()) {
                throw new IllegalStateException("the chord model answers " + logits[t].length + " classes; its metadata names " + vocabulary.size());
            }
            perStep[t] = logSoftmax(logits[t]);
        }
        return new ChordLogProbabilities(perStep, vocabulary);
    }

    private static double[] logSoftmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) max = Math.max(max, v);
        double sum = 0;
        for (float v : logits) sum += Math.exp(v - max);
        double log = max + Math.log(sum);
        double[] result = new double[logits.length];
        for (int i = 0; i < logits.length; i++) result[i] = logits[i] - log;
        return result;
    }
}
