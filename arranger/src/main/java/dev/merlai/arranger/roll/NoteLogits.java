package dev.merlai.arranger.roll;

/**
 * The texture model's answer: per step, part and key, the logit of a note starting there and of a note sounding
 * there, in the layout of {@link PianoRoll}.
 */
public final class NoteLogits {

    private final float[] values;

    public NoteLogits(float[] values) {
        this.values = values;
    }

    public float onset(int step, Part part, int pitch) {
        return values[PianoRoll.onsetIndex(step, part, pitch)];
    }

    public float sounding(int step, Part part, int pitch) {
        return values[PianoRoll.onsetIndex(step, part, pitch) + PianoRoll.KEYS];
    }

    /** The k-th largest onset logit of the part's keys at the step. */
    public float kthLargestOnset(int step, Part part, int k) {
        float[] top = new float[k];
        java.util.Arrays.fill(top, Float.NEGATIVE_INFINITY);
        int from = PianoRoll.onsetIndex(step, part, PianoRoll.LOWEST);
        for (int i = from; i < from + PianoRoll.KEYS; i++) {
            float v = values[i];
            if (v <= top[k - 1]) continue;
            int j = k - 1;
            while (j > 0 && top[j - 1] < v) {
                top[j] = top[j - 1];
                j--;
            }
            top[j] = v;
        }
        return top[k - 1];
    }
}
