package dev.merlai.arranger.roll;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The accompaniment on the 16th-note grid: per step, part and key, whether a note starts there (onset) and
 * whether one sounds there (an onset sounds too). Keys are MIDI pitches from {@link #lowestPitch()} over
 * {@link #pitches()} keys. The values are kept in the texture model's own layout ({@link #CHANNELS} per step),
 * so that the roll goes to the model without copying.
 */
public final class PianoRoll {

    /** The channels of a step, in order: each part's onsets, then its sounding keys. */
    public static final List<String> CHANNELS = List.of("piano_onset", "piano_sounding", "counter_onset", "counter_sounding");
    private static final int PARTS = Part.values().length;
    private final float[] values;
    private final int steps;
    private final int lowestPitch;
    private final int keys;

    private PianoRoll(int steps, int lowestPitch, int keys) {
        this.steps = steps;
        this.lowestPitch = lowestPitch;
        this.keys = keys;
        this.values = new float[steps * CHANNELS.size() * keys];
    }

    /** A silent roll of this many steps over {@code keys} keys from {@code lowestPitch}. */
    public static PianoRoll silent(int steps, int lowestPitch, int keys) {
        return new PianoRoll(steps, lowestPitch, keys);
    }

    public int steps() {
        return steps;
    }

    public int lowestPitch() {
        return lowestPitch;
    }

    public int pitches() {
        return keys;
    }

    /** Whether the key lies on the roll. */
    public boolean covers(int pitch) {
        return pitch >= lowestPitch && pitch < lowestPitch + keys;
    }

    public boolean onset(int step, Part part, int pitch) {
        return values[onsetIndex(step, part, pitch - lowestPitch, keys)] > 0;
    }

    public boolean sounding(int step, Part part, int pitch) {
        return values[onsetIndex(step, part, pitch - lowestPitch, keys) + keys] > 0;
    }

    public void setOnset(int step, Part part, int pitch, boolean onset) {
        values[onsetIndex(step, part, pitch - lowestPitch, keys)] = onset ? 1 : 0;
    }

    public void setSounding(int step, Part part, int pitch, boolean sounding) {
        values[onsetIndex(step, part, pitch - lowestPitch, keys) + keys] = sounding ? 1 : 0;
    }

    /** Whether any part starts a note at the step. */
    public boolean anyOnset(int step) {
        for (Part part : Part.values()) {
            for (int pitch = lowestPitch; pitch < lowestPitch + keys; pitch++) if (onset(step, part, pitch)) return true;
        }
        return false;
    }

    /** Copies every part's onsets and sounding keys of {@code length} steps from {@code from} to {@code to}. */
    public void copySteps(int from, int to, int length) {
        int stepValues = CHANNELS.size() * keys;
        System.arraycopy(values, from * stepValues, values, to * stepValues, length * stepValues);
    }

    /**
     * The part's notes that start on a step the filter accepts, key by key from the lowest, each in time order:
     * a note lasts from its onset while the key goes on sounding without a new onset.
     */
    public List<StepNote> notes(Part part, IntPredicate startsOn) {
        List<StepNote> notes = new ArrayList<>();
        for (int pitch = lowestPitch; pitch < lowestPitch + keys; pitch++) {
            for (int t = 0; t < steps; t++) {
                if (!startsOn.test(t) || !onset(t, part, pitch)) continue;
                int end = t + 1;
                while (end < steps && sounding(end, part, pitch) && !onset(end, part, pitch)) end++;
                notes.add(new StepNote(pitch, t, end));
            }
        }
        return notes;
    }

    /** The roll in the texture model's layout, [steps x channels x keys], shared (not copied): its {@code known_notes}. */
    public float[] modelValues() {
        return values;
    }

    /** Where the onset of the key'th key lies in the model's layout; its sounding value lies {@code keys} later. */
    static int onsetIndex(int step, Part part, int key, int keys) {
        return ((step * PARTS + part.ordinal()) * 2) * keys + key;
    }
}
