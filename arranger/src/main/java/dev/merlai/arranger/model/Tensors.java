package dev.merlai.arranger.model;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/** The melody inputs both models share, named as in the ONNX graphs. */
final class Tensors {

    private Tensors() {
    }

    static NDList melody(NDManager manager, MelodyFeatures melody) {
        int steps = melody.steps();
        Shape shape = new Shape(1, steps);
        return new NDList(
                named(manager.create(melody.melodyPitch(), shape), "melody_pitch"),
                named(manager.create(melody.melodyOnset(), shape), "melody_onset"),
                named(manager.create(melody.metricPos(), shape), "metric_pos"),
                named(manager.create(melody.barSteps(), shape), "bar_steps"),
                named(manager.create(new long[]{melody.style()}, new Shape(1)), "style"));
    }

    static NDArray named(NDArray array, String name) {
        array.setName(name);
        return array;
    }

    /** A [1, steps, classes] output as [steps][classes]. */
    static float[][] perStep(NDArray output) {
        int steps = (int) output.getShape().get(1);
        int classes = (int) output.getShape().get(2);
        float[] flat = output.toFloatArray();
        float[][] result = new float[steps][classes];
        for (int t = 0; t < steps; t++) System.arraycopy(flat, t * classes, result[t], 0, classes);
        return result;
    }
}
