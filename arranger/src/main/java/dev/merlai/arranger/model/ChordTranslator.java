package dev.merlai.arranger.model;

import ai.djl.ndarray.NDList;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

/** Melody features in, chord logits out ([steps][vocabulary]). */
final class ChordTranslator implements NoBatchifyTranslator<MelodyFeatures, float[][]> {

    @Override
    public NDList processInput(TranslatorContext ctx, MelodyFeatures input) {
        return Tensors.melody(ctx.getNDManager(), input);
    }

    @Override
    public float[][] processOutput(TranslatorContext ctx, NDList list) {
        return perStep(list.get(0));
    }

    /** A [1, steps, classes] output as [steps][classes]. */
    static float[][] perStep(ai.djl.ndarray.NDArray logits) {
        int steps = (int) logits.getShape().get(1);
        int classes = (int) logits.getShape().get(2);
        float[] flat = logits.toFloatArray();
        float[][] result = new float[steps][classes];
        for (int t = 0; t < steps; t++) System.arraycopy(flat, t * classes, result[t], 0, classes);
        return result;
    }
}
