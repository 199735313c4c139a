package dev.merlai.arranger.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

/** The melody on a 16th grid in ({@code melody_pitch}, {@code melody_onset}); per step, the three class log-probabilities out. */
final class DownbeatTranslator implements NoBatchifyTranslator<DownbeatTranslator.Melody, float[][]> {

    /** Highest melody pitch per step (0 = rest) and onset flags, as {@link MelodyFeatures} has them. */
    record Melody(long[] pitch, float[] onset) {
    }

    @Override
    public NDList processInput(TranslatorContext ctx, Melody input) {
        Shape shape = new Shape(1, input.pitch().length);
        return new NDList(
                Tensors.named(ctx.getNDManager().create(input.pitch(), shape), "melody_pitch"),
                Tensors.named(ctx.getNDManager().create(input.onset(), shape), "melody_onset"));
    }

    @Override
    public float[][] processOutput(TranslatorContext ctx, NDList list) {
        return Tensors.perStep(list.get(0));
    }
}
