package dev.merlai.arranger.drums;

import dev.merlai.arranger.grid.MetricGrid;

import java.util.ArrayList;
import java.util.List;

/**
 * What the drummer is asked to do in each bar of the grid: play a fill (into the next section), crash on the
 * downbeat (a section starts), and how much energy the section has.
 *
 * @param bars one entry per bar of the grid
 */
public record DrumPlan(List<BarPlan> bars) {

    /** Phrase length of the placeholder plan, in bars. */
    static final int PHRASE_BARS = 8;

    /**
     * @param fill   play a fill in this bar
     * @param crash  a crash on this bar's downbeat
     * @param energy 0 = the style's quiet sections .. 0.5 its typical groove .. 1 its busiest
     */
    public record BarPlan(boolean fill, boolean crash, double energy) {
    }

    public DrumPlan {
        bars = List.copyOf(bars);
    }

    /**
     * One section at the style's typical energy with a fill every {@value #PHRASE_BARS} bars and a crash after it,
     * counted from the first full bar (a pickup is not played), until the form stage gives sections.
     */
    public static DrumPlan placeholder(MetricGrid grid) {
        int bars = grid.bars().size();
        int first = grid.bars().get(0).number() == 0 ? 1 : 0;
        List<BarPlan> plan = new ArrayList<>();
        for (int b = 0; b < bars; b++) {
            int inSong = b - first;
            boolean fill = inSong >= 0 && (inSong + 1) % PHRASE_BARS == 0 && b < bars - 1;
            boolean crash = inSong >= 0 && inSong % PHRASE_BARS == 0;
            plan.add(new BarPlan(fill, crash, 0.5));
        }
        return new DrumPlan(plan);
    }
}
