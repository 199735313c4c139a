package dev.merlai.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.merlai.arranger.ArrangeException;
import dev.merlai.arranger.grid.MetricGrid;
import dev.merlai.arranger.live.LiveEngine;
import dev.merlai.arranger.live.LiveEvent;
import dev.merlai.arranger.live.LiveTimings;
import dev.merlai.music.Note;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Plays a melody into a live engine in (scaled) real time on one thread: each melody on/off at its time, the
 * clock every 16th note. An accompaniment event is late when the engine hands it over after its own time.
 */
final class LiveReplay {

    /** The engine's clock steps every 16th note, its grid. */
    private static final long STEP = MetricGrid.STEP_TICKS;

    /** What a replay measured; engine times in milliseconds. */
    record Figures(int melodyEvents, int events, int late, double[] noteMillis, double[] planMillis) {

        ObjectNode toJson(ObjectMapper json) {
            ObjectNode node = json.createObjectNode().put("melodyEvents", melodyEvents).put("events", events).put("lateEvents", late);
            node.putObject("engineMillisPerMelodyEvent").put("p50", LiveTimings.percentile(noteMillis, 50)).put("p99", LiveTimings.percentile(noteMillis, 99));
            node.putObject("engineMillisPerClockStep").put("p50", LiveTimings.percentile(planMillis, 50)).put("p99", LiveTimings.percentile(planMillis, 99))
                    .put("max", LiveTimings.percentile(planMillis, 100));
            return node;
        }
    }

    private final LiveEngine engine;
    private final double speed;

    LiveReplay(LiveEngine engine, double speed) {
        this.engine = engine;
        this.speed = speed;
    }

    Figures play(List<Note> melody) throws ArrangeException, InterruptedException {
        // melody offs (kind 0) before ons (1) before clock steps (2) at the same tick
        List<long[]> timeline = new ArrayList<>();
        for (Note note : melody) {
            timeline.add(new long[]{note.onset(), 1, note.pitch(), note.velocity()});
            timeline.add(new long[]{note.end(), 0, note.pitch(), 0});
        }
        long end = melody.stream().mapToLong(Note::end).max().orElse(0) + STEP;
        for (long tick = 0; tick <= end; tick += STEP) timeline.add(new long[]{tick, 2, 0, 0});
        timeline.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));

        double[] noteMillis = new double[melody.size() * 2];
        double[] planMillis = new double[(int) (end / STEP) + 1];
        int notes = 0, steps = 0, events = 0, late = 0;
        long started = System.nanoTime();
        for (long[] entry : timeline) {
            long tick = entry[0];
            sleepUntil(started + nanos(tick));
            long before = System.nanoTime();
            if (entry[1] == 2) {
                List<LiveEvent> sent = tick + STEP > end ? engine.stop(tick) : engine.advance(tick);
                long after = System.nanoTime();
                planMillis[steps++] = (after - before) / 1e6;
                events += sent.size();
                for (LiveEvent event : sent) if (started + nanos(event.tick()) < after) late++;
            } else {
                if (entry[1] == 1) engine.noteOn(tick, (int) entry[2], (int) entry[3]);
                else engine.noteOff(tick, (int) entry[2]);
                noteMillis[notes++] = (System.nanoTime() - before) / 1e6;
            }
        }
        return new Figures(notes, events, late, Arrays.copyOf(noteMillis, notes), Arrays.copyOf(planMillis, steps));
    }

    private long nanos(long tick) {
        return Math.round(engine.settings().millis(tick) * 1e6 / speed);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
    }
}
