package dev.merlai.arranger.performance;

import dev.merlai.arranger.grid.MetricGrid;
import dev.merlai.arranger.roll.StepNote;
import dev.merlai.music.Note;
import dev.merlai.music.Role;

import java.util.ArrayList;
import java.util.List;

/**
 * The performance stage: plays a part's notes from the grid, in ticks and with a velocity. The velocity is a
 * fixed accent rule today: the part's base loudness (the counter-melody a little above the rest), +10 on the
 * downbeat, +5 on the other beats.
 */
public final class Performer {

    private Performer() {
    }

    /**
     * The notes in the order given, each from its first step's tick (a pickup's steps before the song start at
     * tick 0) to the end of its last step; a note that ends before the song starts is dropped.
     */
    public static List<Note> play(Role role, List<StepNote> notes, MetricGrid grid) {
        List<Note> played = new ArrayList<>(notes.size());
        for (StepNote note : notes) {
            long onset = Math.max(0, grid.stepTick(note.firstStep()));
            long duration = grid.stepTick(note.endStep() - 1) + MetricGrid.STEP_TICKS - onset;
            if (duration <= 0) continue;
            played.add(new Note(note.pitch(), velocity(role, grid.metricPos(note.firstStep())), onset, duration));
        }
        return played;
    }

    private static int velocity(Role role, int metricPos) {
        int accent = metricPos == 0 ? 10 : metricPos % MetricGrid.STEPS_PER_BEAT == 0 ? 5 : 0;
        return (role == Role.COUNTER_MELODY ? 68 : 62) + accent;
    }
}
