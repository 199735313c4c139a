package dev.merlai.arranger.grid;

import dev.merlai.music.Bar;
import dev.merlai.music.MeterMap;
import dev.merlai.music.Score;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The 16th-note steps the models work on, laid on the bars of a meter map: each bar is cut into steps of
 * {@link #STEP_TICKS} from its downbeat, so every step knows its position in its bar.
 */
public final class MetricGrid {

    /** One 16th note, in ticks. */
    public static final long STEP_TICKS = Score.TICKS_PER_QUARTER / 4;
    /** A quarter-note beat: the models pool steps in fours. */
    public static final int STEPS_PER_BEAT = 4;
    private static final long BEAT_TICKS = STEPS_PER_BEAT * STEP_TICKS;
    /** The models see positions and bar lengths up to this many steps. */
    public static final int MAX_BAR_STEPS = 48;

    private final List<Bar> bars;
    private final long[] stepTick;
    private final int[] metricPos;
    private final int[] barSteps;
    private final int[] barIndex;
    private final int[] firstStepOfBar;

    private MetricGrid(List<Bar> bars, long[] stepTick, int[] metricPos, int[] barSteps, int[] barIndex, int[] firstStepOfBar) {
        this.bars = bars;
        this.stepTick = stepTick;
        this.metricPos = metricPos;
        this.barSteps = barSteps;
        this.barIndex = barIndex;
        this.firstStepOfBar = firstStepOfBar;
    }

    /**
     * The grid over [0, endTick) of a meter map. A pickup's steps are laid back from its downbeat and start on a
     * beat, before tick 0 if need be: the models pool steps in fours, so every beat must start on a step index
     * divisible by 4 (a pickup of 770 ticks laid from tick 0 would put every later beat half a beat off).
     */
    public static MetricGrid over(MeterMap meter, long endTick) {
        List<Bar> bars = meter.bars(Math.max(endTick, 1));
        List<long[]> steps = new ArrayList<>();
        int[] firstStep = new int[bars.size()];
        for (int b = 0; b < bars.size(); b++) {
            Bar bar = bars.get(b);
            firstStep[b] = steps.size();
            // A pickup counts its positions back from the next downbeat.
            long origin = bar.number() == 0 ? bar.end() - bar.timeSignature().barTicks() : bar.start();
            long first = bar.number() == 0 ? origin + Math.floorDiv(bar.start() - origin, BEAT_TICKS) * BEAT_TICKS : bar.start();
            int count = (int) Math.max(1, Math.round((bar.end() - first) / (double) STEP_TICKS));
            int length = (int) Math.min(MAX_BAR_STEPS, Math.max(1, Math.round(bar.length() / (double) STEP_TICKS)));
            for (int i = 0; i < count; i++) {
                long tick = first + i * STEP_TICKS;
                int position = (int) Math.min(MAX_BAR_STEPS - 1, Math.max(0, Math.round((tick - origin) / (double) STEP_TICKS)));
                steps.add(new long[]{tick, position, length, b});
            }
        }
        int n = steps.size();
        long[] ticks = new long[n];
        int[] pos = new int[n], len = new int[n], index = new int[n];
        for (int i = 0; i < n; i++) {
            long[] step = steps.get(i);
            ticks[i] = step[0];
            pos[i] = (int) step[1];
            len[i] = (int) step[2];
            index[i] = (int) step[3];
        }
        return new MetricGrid(List.copyOf(bars), ticks, pos, len, index, firstStep);
    }

    public int steps() {
        return stepTick.length;
    }

    /** Where the step starts; the first steps of a pickup may start before tick 0. */
    public long stepTick(int step) {
        return step < stepTick.length ? stepTick[step] : stepTick[stepTick.length - 1] + (step - stepTick.length + 1) * STEP_TICKS;
    }

    /** The step whose start is nearest to the tick (clamped to the grid). */
    public int nearestStep(long tick) {
        int i = Arrays.binarySearch(stepTick, tick);
        if (i >= 0) return i;
        int next = -i - 1;
        if (next == 0) return 0;
        if (next >= stepTick.length) return stepTick.length - 1;
        return tick - stepTick[next - 1] <= stepTick[next] - tick ? next - 1 : next;
    }

    /** The step that contains the tick (clamped to the grid). */
    public int stepContaining(long tick) {
        int i = Arrays.binarySearch(stepTick, tick);
        if (i >= 0) return i;
        return Math.max(0, Math.min(stepTick.length - 1, -i - 2));
    }

    public int metricPos(int step) {
        return metricPos[step];
    }

    public int barSteps(int step) {
        return barSteps[step];
    }

    /** Index into {@link #bars()} of the bar holding the step. */
    public int barIndex(int step) {
        return barIndex[step];
    }

    public List<Bar> bars() {
        return bars;
    }

    public int firstStepOfBar(int barIndex) {
        return firstStepOfBar[barIndex];
    }

    /** One past the last step of the bar. */
    public int endStepOfBar(int barIndex) {
        return barIndex + 1 < firstStepOfBar.length ? firstStepOfBar[barIndex + 1] : stepTick.length;
    }
}
