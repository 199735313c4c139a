package dev.merlai.music;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Tempo changes over the score, and the one place where ticks turn into seconds and back.
 * Before the first change, and in a score without any, the tempo is 120 quarter notes per minute.
 */
public final class TempoMap {

    /**
     * @param tick              where the tempo starts, in ticks
     * @param microsPerQuarter  length of a quarter note in microseconds (500000 = 120 bpm)
     */
    public record Change(long tick, long microsPerQuarter) {
        public Change {
            if (tick < 0) throw new IllegalArgumentException("tempo tick must be >= 0");
            if (microsPerQuarter < 1 || microsPerQuarter > 0xFFFFFF) {
                throw new IllegalArgumentException("tempo must be 1..16777215 microseconds per quarter, was " + microsPerQuarter);
            }
        }

        public static Change ofBpm(long tick, double quartersPerMinute) {
            return new Change(tick, Math.round(60_000_000.0 / quartersPerMinute));
        }

        /** Quarter notes per minute. */
        public double bpm() {
            return 60_000_000.0 / microsPerQuarter;
        }
    }

    public static final long DEFAULT_MICROS_PER_QUARTER = 500_000;

    private final List<Change> changes;
    /** seconds at the tick of each change, same index as {@link #changes} */
    private final double[] secondsAtChange;

    public TempoMap(List<Change> changes) {
        List<Change> sorted = new ArrayList<>(changes);
        sorted.sort(Comparator.comparingLong(Change::tick));
        // A later change at the same tick wins, as in a MIDI file read front to back.
        List<Change> unique = new ArrayList<>();
        for (Change change : sorted) {
            if (!unique.isEmpty() && unique.get(unique.size() - 1).tick() == change.tick()) unique.remove(unique.size() - 1);
            unique.add(change);
        }
        if (unique.isEmpty() || unique.get(0).tick() > 0) unique.add(0, new Change(0, DEFAULT_MICROS_PER_QUARTER));
        this.changes = List.copyOf(unique);
        this.secondsAtChange = new double[unique.size()];
        for (int i = 1; i < unique.size(); i++) {
            Change previous = unique.get(i - 1);
            secondsAtChange[i] = secondsAtChange[i - 1] + ticksToSeconds(unique.get(i).tick() - previous.tick(), previous.microsPerQuarter());
        }
    }

    public static TempoMap constant(double quartersPerMinute) {
        return new TempoMap(List.of(Change.ofBpm(0, quartersPerMinute)));
    }

    /** The changes, sorted, the first at tick 0. */
    public List<Change> changes() {
        return changes;
    }

    public Change changeAt(long tick) {
        return changes.get(indexAt(tick));
    }

    /** Seconds from the start of the score to the tick. */
    public double seconds(long tick) {
        int i = indexAt(tick);
        return secondsAtChange[i] + ticksToSeconds(tick - changes.get(i).tick(), changes.get(i).microsPerQuarter());
    }

    /** The tick at a time in seconds from the start (rounded to the nearest tick). */
    public long tick(double seconds) {
        int i = changes.size() - 1;
        while (i > 0 && secondsAtChange[i] > seconds) i--;
        Change change = changes.get(i);
        double quarters = (seconds - secondsAtChange[i]) * 1_000_000.0 / change.microsPerQuarter();
        return change.tick() + Math.round(quarters * Score.TICKS_PER_QUARTER);
    }

    private int indexAt(long tick) {
        int low = 0, high = changes.size() - 1;
        while (low < high) {
            int mid = (low + high + 1) >>> 1;
            if (changes.get(mid).tick() <= tick) low = mid; else high = mid - 1;
        }
        return low;
    }

    private static double ticksToSeconds(long ticks, long microsPerQuarter) {
        return ticks / (double) Score.TICKS_PER_QUARTER * microsPerQuarter / 1_000_000.0;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof TempoMap map && map.changes.equals(changes);
    }

    @Override
    public int hashCode() {
        return changes.hashCode();
    }

    @Override
    public String toString() {
        return "TempoMap" + changes;
    }
}
