package dev.merlai.arranger.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;

/** One bar's conditions and the bar before it in; per step and instrument, the odds of a hit and its velocity and timing out. */
final class DrumTranslator implements NoBatchifyTranslator<DrumModel.BarInput, DrumModel.BarOdds> {

    @Override
    public NDList processInput(TranslatorContext ctx, DrumModel.BarInput input) {
        NDManager manager = ctx.getNDManager();
        Shape bar = new Shape(1, DrumModel.STEPS, DrumModel.INSTRUMENTS);
        Shape one = new Shape(1);
        return new NDList(
                Tensors.named(manager.create(input.previousHits(), bar), "prev_hits"),
                Tensors.named(manager.create(input.previousVelocity(), bar), "prev_velocity"),
                Tensors.named(manager.create(new long[]{input.style()}, one), "style"),
                Tensors.named(manager.create(new long[]{input.meter()}, one), "meter"),
                Tensors.named(manager.create(new float[]{input.tempo()}, one), "tempo"),
                Tensors.named(manager.create(new float[]{input.fill() ? 1 : 0}, one), "fill"),
                Tensors.named(manager.create(new float[]{input.energy()}, one), "energy"));
    }

    @Override
    public DrumModel.BarOdds processOutput(TranslatorContext ctx, NDList list) {
        return new DrumModel.BarOdds(list.get(0).toFloatArray());
    }
}
