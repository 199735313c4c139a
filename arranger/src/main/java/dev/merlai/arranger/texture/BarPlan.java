package dev.merlai.arranger.texture;

import dev.merlai.arranger.ArrangeException;
import dev.merlai.arranger.BarRange;
import dev.merlai.arranger.grid.MetricGrid;
import dev.merlai.music.Bar;
import dev.merlai.music.Score;
import dev.merlai.music.Track;

import java.util.Arrays;
import java.util.List;

/**
 * Which bars of the grid get new accompaniment and how: each bar (an index into {@link MetricGrid#bars()}) is
 * kept as given, written by the texture model, or written as a copy of an earlier bar's accompaniment (a repeat
 * of the song's form). Immutable.
 */
public final class BarPlan {

    private static final int NONE = -1;
    private final MetricGrid grid;
    private final boolean[] written;
    private final int[] copyOf;

    private BarPlan(MetricGrid grid, boolean[] written, int[] copyOf) {
        this.grid = grid;
        this.written = written;
        this.copyOf = copyOf;
    }

    /**
     * The bars in the range (numbers as the score counts them), else every bar without accompaniment in the
     * input; nothing is copied.
     */
    public static BarPlan forInput(Score score, MetricGrid grid, BarRange range) throws ArrangeException {
        List<Bar> bars = grid.bars();
        boolean[] written = new boolean[bars.size()];
        if (range != null) {
            int firstNumber = bars.get(0).number(), lastNumber = bars.get(bars.size() - 1).number();
            if (range.first() < firstNumber || range.last() > lastNumber) {
                throw new ArrangeException("bars " + range + " are outside the song's bars " + firstNumber + "-" + lastNumber);
            }
            for (int b = 0; b < bars.size(); b++) written[b] = range.contains(bars.get(b).number());
        } else {
            for (int b = 0; b < bars.size(); b++) {
                Bar bar = bars.get(b);
                boolean accompanied = false;
                for (Track track : score.tracks()) {
                    if (track.role().isAccompaniment() && !track.notesStartingIn(bar.start(), bar.end()).isEmpty()) accompanied = true;
                }
                written[b] = !accompanied;
            }
        }
        int[] copyOf = new int[bars.size()];
        Arrays.fill(copyOf, NONE);
        return new BarPlan(grid, written, copyOf);
    }

    /**
     * This plan with {@code bar} written as a note-for-note copy of {@code source}'s accompaniment (given or
     * written). Both bars must have the same number of steps, and copies must not lead back to the bar.
     */
    public BarPlan withCopy(int bar, int source) {
        if (steps(bar) != steps(source)) {
            throw new IllegalArgumentException("bar " + bar + " (" + steps(bar) + " steps) cannot copy bar " + source + " (" + steps(source) + " steps)");
        }
        for (int b = source; b != NONE; b = copyOf[b]) if (b == bar) throw new IllegalArgumentException("bar " + bar + " would copy itself");
        boolean[] newWritten = written.clone();
        int[] newCopyOf = copyOf.clone();
        newWritten[bar] = true;
        newCopyOf[bar] = source;
        return new BarPlan(grid, newWritten, newCopyOf);
    }

    public int bars() {
        return written.length;
    }

    /** Whether the bar gets new accompaniment (sampled or copied); the input's accompaniment there is dropped. */
    public boolean writes(int bar) {
        return written[bar];
    }

    /** Whether the bar's accompaniment is sampled from the texture model. */
    public boolean samples(int bar) {
        return written[bar] && copyOf[bar] == NONE;
    }

    /** The bar whose accompaniment this bar repeats, or -1. */
    public int copyOf(int bar) {
        return copyOf[bar];
    }

    /** Whether the step lies in a bar that gets new accompaniment. */
    public boolean writesStep(int step) {
        return written[grid.barIndex(step)];
    }

    /** The numbers of the bars written, as ranges: e.g. {@code 1-4, 9-32}, or {@code none}. */
    public String describe() {
        StringBuilder text = new StringBuilder();
        int b = 0;
        while (b < written.length) {
            if (!written[b]) {
                b++;
                continue;
            }
            int start = b;
            while (b + 1 < written.length && written[b + 1]) b++;
            if (text.length() > 0) text.append(", ");
            int first = grid.bars().get(start).number(), last = grid.bars().get(b).number();
            text.append(first == last ? Integer.toString(first) : first + "-" + last);
            b++;
        }
        return text.length() == 0 ? "none" : text.toString();
    }

    private int steps(int bar) {
        return grid.endStepOfBar(bar) - grid.firstStepOfBar(bar);
    }
}
