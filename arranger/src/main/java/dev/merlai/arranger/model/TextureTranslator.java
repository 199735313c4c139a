package dev.merlai.arranger.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import dev.merlai.arranger.roll.NoteLogits;

/** Melody, chords and known accompaniment in; note logits out. */
final class TextureTranslator implements NoBatchifyTranslator<TextureInput, NoteLogits> {

    @Override
    public NDList processInput(TranslatorContext ctx, TextureInput input) {
        NDManager manager = ctx.getNDManager();
        int steps = input.melody().steps();
        NDList list = Tensors.melody(manager, input.melody());
        list.add(Tensors.named(manager.create(input.chordChroma(), new Shape(1, steps, 12)), "chord_chroma"));
        list.add(Tensors.named(manager.create(input.chordBass(), new Shape(1, steps)), "chord_bass"));
        list.add(Tensors.named(manager.create(input.density(), new Shape(1, steps)), "density"));
        list.add(Tensors.named(manager.create(input.knownNotes().modelValues(), new Shape(1, steps, TextureInput.CHANNELS, TextureInput.PITCHES)), "known_notes"));
        list.add(Tensors.named(manager.create(input.knownMask(), new Shape(1, steps)), "known_mask"));
        return list;
    }

    @Override
    public NoteLogits processOutput(TranslatorContext ctx, NDList list) {
        return new NoteLogits(list.get(0).toFloatArray());
    }
}
