package dev.merlai.arranger.roll;

import dev.merlai.arranger.model.TextureInput;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntPredicate;

/**
 * The accompaniment on the 16th-note grid: per step, part and key, whether a note starts there (onset) and
 * whether one sounds there (an onset sounds too). Keys are MIDI pitches from {@link #lowestPitch()} over
 * {@link #pitches()} keys. The values are kept in the texture model's own layout ({@link TextureInput#knownNotes()}),
 * so that the roll goes to the model without copying.
 */
public final class PianoRoll {

    static final int LOWEST = TextureInput.LOWEST_PITCH;
    static final int KEYS = TextureInput.PITCHES;
    private static final int CHANNELS_PER_PART = 2;
    private static final int PARTS = Part.values().length;
    private final float[] values;
    private final int steps;

    private PianoRoll(int steps) {
        this.steps = steps;
        this.values = new float[steps * PARTS * CHANNELS_PER_PART * KEYS];
    }

    /** A silent roll of this many steps. */
    public static PianoRoll silent(int steps) {
        return new PianoRoll(steps);
    }

    public int steps() {
        return steps;
    }

    public int lowestPitch() {
        return LOWEST;
    }

    public int pitches() {
        return KEYS;
    }

    /** Whether the key lies on the roll. */
    public boolean covers(int pitch) {
        return pitch >= LOWEST && pitch < LOWEST + KEYS;
    }

    public boolean onset(int step, Part part, int pitch) {
        return values[onsetIndex(step, part, pitch)] > 0;
    }

    public boolean sounding(int step, Part part, int pitch) {
        return values[onsetIndex(step, part, pitch) + KEYS] > 0;
    }

    public void setOnset(int step, Part part, int pitch, boolean onset) {
        values[onsetIndex(step, part, pitch)] = onset ? 1 : 0;
    }

    public void setSounding(int step, Part part, int pitch, boolean sounding) {
        values[onsetIndex(step, part, pitch) + KEYS] = sounding ? 1 : 0;
    }

    /** Whether any part starts a note at the step. */
    public boolean anyOnset(int step) {
        for (Part part : Part.values()) {
            for (int pitch = LOWEST; pitch < LOWEST + KEYS; pitch++) if (onset(step, part, pitch)) return true;
        }
        return false;
    }

    /** Copies every part's onsets and sounding keys of {@code length} steps from {@code from} to {@code to}. */
    public void copySteps(int from, int to, int length) {
        int stepValues = values.length / steps;
        System.arraycopy(values, from * stepValues, values, to * stepValues, length * stepValues);
    }

    /**
     * The part's notes that start on a step the filter accepts, key by key from the lowest, each in time order:
     * a note lasts from its onset while the key goes on sounding without a new onset.
     */
    public List<StepNote> notes(Part part, IntPredicate startsOn) {
        List<StepNote> notes = new ArrayList<>();
        for (int pitch = LOWEST; pitch < LOWEST + KEYS; pitch++) {
            for (int t = 0; t < steps; t++) {
                if (!startsOn.test(t) || !onset(t, part, pitch)) continue;
                int end = t + 1;
                while (end < steps && sounding(end, part, pitch) && !onset(end, part, pitch)) end++;
                notes.add(new StepNote(pitch, t, end));
            }
        }
        return notes;
    }

    /** The roll in the texture model's layout, [steps x 4 x 88], shared (not copied): the model's {@code known_notes}. */
    public float[] modelValues() {
        return values;
    }

    /** Where the onset of a key lies in the model's layout; its sounding value follows {@link #pitches()} later. */
    static int onsetIndex(int step, Part part, int pitch) {
        return ((step * PARTS + part.ordinal()) * CHANNELS_PER_PART) * KEYS + pitch - LOWEST;
    }
}
