package dev.merlai.music;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Time signatures over the score and an optional pickup; the one place where ticks turn into bars, beats
 * and 16th notes and back. Before the first time signature, and in a score without any, the meter is 4/4.
 *
 * <p>Bars are laid from tick 0 (or from the end of the pickup) with the length of the time signature in
 * force. A time signature always starts a new bar: when it falls inside a bar, that bar is cut short there.
 */
public final class MeterMap {

    private final List<TimeSignature> changes;
    private final long pickup;
    /** One entry per time signature (after the pickup): where its bars start and the number of its first bar. */
    private final long[] segmentStart;
    private final int[] segmentFirstBar;

    /**
     * @param changes time signatures; one at tick 0 is added (4/4) when missing
     * @param pickup  length of an incomplete first bar (anacrusis) in ticks, 0 for none; shorter than that bar
     */
    public MeterMap(List<TimeSignature> changes, long pickup) {
        List<TimeSignature> sorted = new ArrayList<>(changes);
        sorted.sort(Comparator.comparingLong(TimeSignature::tick));
        List<TimeSignature> unique = new ArrayList<>();
        for (TimeSignature change : sorted) {
            if (!unique.isEmpty() && unique.get(unique.size() - 1).tick() == change.tick()) unique.remove(unique.size() - 1);
            unique.add(change);
        }
        if (unique.isEmpty() || unique.get(0).tick() > 0) unique.add(0, new TimeSignature(0, 4, 4));
        if (pickup < 0 || (pickup > 0 && pickup >= unique.get(0).barTicks())) {
            throw new IllegalArgumentException("pickup must be 0 or shorter than the first bar (" + unique.get(0).barTicks() + " ticks), was " + pickup);
        }
        if (unique.size() > 1 && unique.get(1).tick() <= pickup && pickup > 0) {
            throw new IllegalArgumentException("a time signature change falls inside the pickup");
        }
        this.changes = List.copyOf(unique);
        this.pickup = pickup;
        segmentStart = new long[unique.size()];
        segmentFirstBar = new int[unique.size()];
        segmentStart[0] = pickup;
        segmentFirstBar[0] = 1;
        for (int i = 1; i < unique.size(); i++) {
            segmentStart[i] = unique.get(i).tick();
            long span = segmentStart[i] - segmentStart[i - 1];
            long barTicks = unique.get(i - 1).barTicks();
            segmentFirstBar[i] = segmentFirstBar[i - 1] + (int) ((span + barTicks - 1) / barTicks);
        }
    }

    public MeterMap(List<TimeSignature> changes) {
        this(changes, 0);
    }

    public static MeterMap of(int numerator, int denominator) {
        return new MeterMap(List.of(new TimeSignature(0, numerator, denominator)), 0);
    }

    /** The time signatures, sorted, the first at tick 0. */
    public List<TimeSignature> changes() {
        return changes;
    }

    /** Length of the pickup (bar 0) in ticks; 0 when the score starts on a downbeat. */
    public long pickup() {
        return pickup;
    }

    public TimeSignature timeSignatureAt(long tick) {
        return changes.get(segmentAt(tick));
    }

    /** The bar that contains the tick. */
    public Bar barAt(long tick) {
        if (tick < 0) throw new IllegalArgumentException("tick must be >= 0");
        if (tick < pickup) return new Bar(0, 0, pickup, changes.get(0));
        int segment = segmentAt(tick);
        TimeSignature signature = changes.get(segment);
        long barTicks = signature.barTicks();
        long index = (tick - segmentStart[segment]) / barTicks;
        long start = segmentStart[segment] + index * barTicks;
        long end = start + barTicks;
        if (segment + 1 < changes.size()) end = Math.min(end, segmentStart[segment + 1]);
        return new Bar(segmentFirstBar[segment] + (int) index, start, end - start, signature);
    }

    /** Bar {@code number} (1-based; 0 is the pickup, when there is one). */
    public Bar bar(int number) {
        if (number == 0 && pickup > 0) return new Bar(0, 0, pickup, changes.get(0));
        if (number < 1) throw new IllegalArgumentException("bar numbers start at 1" + (pickup > 0 ? " (0 is the pickup)" : ""));
        int segment = 0;
        while (segment + 1 < changes.size() && segmentFirstBar[segment + 1] <= number) segment++;
        long start = segmentStart[segment] + (long) (number - segmentFirstBar[segment]) * changes.get(segment).barTicks();
        return barAt(start);
    }

    /** The bars that cover [0, endTick), in order, the pickup first when there is one. */
    public List<Bar> bars(long endTick) {
        List<Bar> bars = new ArrayList<>();
        long tick = 0;
        while (tick < endTick) {
            Bar bar = barAt(tick);
            bars.add(bar);
            tick = bar.end();
        }
        return bars;
    }

    public BarPosition position(long tick) {
        Bar bar = barAt(tick);
        long beatTicks = bar.timeSignature().beatTicks();
        // A pickup is aligned to its end: its last beat is the last beat before bar 1.
        long intoBar = bar.number() == 0 ? tick - (bar.end() - bar.timeSignature().barTicks()) : tick - bar.start();
        long sixteenthTicks = Score.TICKS_PER_QUARTER / 4;
        long intoBeat = intoBar % beatTicks;
        return new BarPosition(bar.number(), bar.start(), bar.length(), (int) (intoBar / beatTicks),
                (int) (intoBeat / sixteenthTicks), intoBeat % sixteenthTicks);
    }

    /** The tick of a bar (as numbered by {@link #bar}), a 0-based beat in it and a 0-based 16th in that beat. */
    public long tick(int barNumber, int beat, int sixteenth) {
        Bar bar = bar(barNumber);
        long beatTicks = bar.timeSignature().beatTicks();
        long origin = bar.number() == 0 ? bar.end() - bar.timeSignature().barTicks() : bar.start();
        return origin + beat * beatTicks + sixteenth * (Score.TICKS_PER_QUARTER / 4L);
    }

    private int segmentAt(long tick) {
        int low = 0, high = segmentStart.length - 1;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (segmentStart[mid] <= tick) low = mid; else high = mid - 1;
        }
        return low;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof MeterMap map && map.pickup == pickup && map.changes.equals(changes);
    }

    @Override
    public int hashCode() {
        return changes.hashCode() * 31 + Long.hashCode(pickup);
    }

    @Override
    public String toString() {
        return "MeterMap" + changes + (pickup > 0 ? " pickup " + pickup : "");
    }
}
