package dev.merlai.arranger.model;

import dev.merlai.arranger.grid.MelodySteps;
import dev.merlai.arranger.grid.MetricGrid;
import dev.merlai.music.Note;

import java.util.List;

/**
 * What both models see of the melody, one entry per 16th-note step (the ONNX inputs of the same names).
 *
 * @param melodyPitch MIDI pitch of the highest melody note sounding in the step, 0 for a rest
 * @param melodyOnset 1 where a melody note starts in the step
 * @param metricPos   16th steps since the bar's downbeat, 0..47
 * @param barSteps    length of the step's bar in 16th steps, 1..48
 * @param style       index of the style in the model's {@code styles}
 */
public record MelodyFeatures(long[] melodyPitch, float[] melodyOnset, long[] metricPos, long[] barSteps, long style) {

    /** The melody's notes laid on the grid (a note running past the grid's end holds to its last step). */
    public static MelodyFeatures of(List<Note> melody, MetricGrid grid, int style) {
        int steps = grid.steps();
        long gridEnd = grid.stepTick(steps - 1) + MetricGrid.STEP_TICKS;
        MelodySteps notes = MelodySteps.of(melody, steps, grid::nearestStep, tick -> tick >= gridEnd ? steps : grid.nearestStep(tick));
        long[] metricPos = new long[steps];
        long[] barSteps = new long[steps];
        for (int t = 0; t < steps; t++) {
            metricPos[t] = grid.metricPos(t);
            barSteps[t] = grid.barSteps(t);
        }
        return new MelodyFeatures(notes.pitch(), notes.onset(), metricPos, barSteps, style);
    }

    public int steps() {
        return melodyPitch.length;
    }
}
