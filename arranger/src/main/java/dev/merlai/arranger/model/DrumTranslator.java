package dev.merlai.arranger.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

import java.util.Arrays;

/**
 * Bars in, each with its conditions and the bar before it, as one batch (one row per bar); per bar, step and
 * instrument, the odds of a hit and its velocity and timing out.
 */
final class DrumTranslator implements NoBatchifyTranslator<DrumModel.BarInput[], DrumModel.BarOdds[]> {

    private static final int BAR = DrumModel.STEPS * DrumModel.INSTRUMENTS;

    @Override
    public NDList processInput(TranslatorContext ctx, DrumModel.BarInput[] bars) {
        NDManager manager = ctx.getNDManager();
        int rows = bars.length;
        float[] previousHits = new float[rows * BAR];
        float[] previousVelocity = new float[rows * BAR];
        long[] style = new long[rows];
        long[] meter = new long[rows];
        float[] tempo = new float[rows];
        float[] fill = new float[rows];
        float[] energy = new float[rows];
        for (int i = 0; i < rows; i++) {
            DrumModel.BarInput bar = bars[i];
            System.arraycopy(bar.previousHits(), 0, previousHits, i * BAR, BAR);
            System.arraycopy(bar.previousVelocity(), 0, previousVelocity, i * BAR, BAR);
            style[i] = bar.style();
            meter[i] = bar.meter();
            tempo[i] = bar.tempo();
            fill[i] = bar.fill() ? 1 : 0;
            energy[i] = bar.energy();
        }
        Shape bar = new Shape(rows, DrumModel.STEPS, DrumModel.INSTRUMENTS);
        Shape one = new Shape(rows);
        return new NDList(
                Tensors.named(manager.create(previousHits, bar), "prev_hits"),
                Tensors.named(manager.create(previousVelocity, bar), "prev_velocity"),
                Tensors.named(manager.create(style, one), "style"),
                Tensors.named(manager.create(meter, one), "meter"),
                Tensors.named(manager.create(tempo, one), "tempo"),
                Tensors.named(manager.create(fill, one), "fill"),
                Tensors.named(manager.create(energy, one), "energy"));
    }

    @Override
    public DrumModel.BarOdds[] processOutput(TranslatorContext ctx, NDList list) {
        float[] flat = list.get(0).toFloatArray();
        int rows = (int) list.get(0).getShape().get(0);
        int perBar = flat.length / rows;
        DrumModel.BarOdds[] odds = new DrumModel.BarOdds[rows];
        for (int i = 0; i < rows; i++) odds[i] = new DrumModel.BarOdds(Arrays.copyOfRange(flat, i * perBar, (i + 1) * perBar));
        return odds;
    }
}
