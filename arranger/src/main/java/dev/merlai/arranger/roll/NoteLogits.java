package dev.merlai.arranger.roll;

import java.util.Arrays;

/**
 * The texture model's answer: per step, part and key, the logit of a note starting there and of a note sounding
 * there, laid out as a {@link PianoRoll} over the same keys.
 */
public final class NoteLogits {

    private final float[] values;
    private final int lowestPitch;
    private final int keys;

    public NoteLogits(float[] values, int lowestPitch, int keys) {
        this.values = values;
        this.lowestPitch = lowestPitch;
        this.keys = keys;
    }

    public float onset(int step, Part part, int pitch) {
        return values[PianoRoll.onsetIndex(step, part, pitch - lowestPitch, keys)];
    }

    public float sounding(int step, Part part, int pitch) {
        return values[PianoRoll.onsetIndex(step, part, pitch - lowestPitch, keys) + keys];
    }

    /** The k-th largest onset logit of the part's keys at the step. */
    public float kthLargestOnset(int step, Part part, int k) {
        float[] top = new float[k];
        Arrays.fill(top, Float.NEGATIVE_INFINITY);
        int from = PianoRoll.onsetIndex(step, part, 0, keys);
        for (int i = from; i < from + keys; i++) {
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
