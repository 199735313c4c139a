package dev.merlai.arranger.drums;

import dev.merlai.arranger.form.Section;
import dev.merlai.arranger.form.SongForm;
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

    /** Energy of the bars where the melody rests (intro, interlude, outro): the groove, held back. */
    static final double RESTING_ENERGY = 0.35;
    /** Energy added each time a tune comes back (the second chorus fuller than the first), up to 1. */
    static final double ENERGY_PER_HEARING = 0.1;

    /**
     * The plan that follows the song's form: a crash on the first downbeat of each section, a fill in the last bar
     * before the next one, and energy that rises each time a tune comes back and drops where the melody rests.
     */
    public static DrumPlan of(MetricGrid grid, SongForm form) {
        int bars = grid.bars().size();
        List<BarPlan> plan = new ArrayList<>();
        for (int b = 0; b < bars; b++) {
            int number = grid.bars().get(b).number();
            Section section = form.sectionOf(number);
            if (section == null || number == 0) {
                plan.add(new BarPlan(false, false, RESTING_ENERGY));
                continue;
            }
            boolean fill = number == section.lastBar() && b < bars - 1;
            boolean crash = number == section.firstBar();
            int hearing = Math.max(1, form.occurrence()[b]);
            double energy = section.rest() ? RESTING_ENERGY : Math.min(1, 0.5 + ENERGY_PER_HEARING * (hearing - 1));
            plan.add(new BarPlan(fill, crash, energy));
        }
        return new DrumPlan(plan);
    }
}
