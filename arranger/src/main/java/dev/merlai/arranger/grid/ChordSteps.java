package dev.merlai.arranger.grid;

import dev.merlai.music.Chord;
import dev.merlai.music.ChordSpan;

import java.util.List;

/** The song's chords laid on its 16th steps, as the texture model and the performer read them. */
public final class ChordSteps {

    /** What is done with the chord of one step. */
    public interface Action {
        void accept(int step, Chord chord);
    }

    private ChordSteps() {
    }

    /**
     * Calls {@code action} for each step a chord sounds at the start of, and for the step its onset falls in; where
     * spans share a step, the later one's call comes last.
     */
    public static void forEach(List<ChordSpan> chords, MetricGrid grid, Action action) {
        for (ChordSpan span : chords) {
            int first = grid.stepContaining(span.onset());
            for (int t = first; t < grid.steps() && grid.stepTick(t) < span.end(); t++) {
                if (grid.stepTick(t) >= span.onset() || t == first) action.accept(t, span.chord());
            }
        }
    }
}
