package dev.merlai.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.merlai.arranger.ArrangeException;
import dev.merlai.arranger.grid.MetricGrid;
import dev.merlai.arranger.live.LiveEngine;
import dev.merlai.arranger.live.LiveEvent;
import dev.merlai.arranger.live.LiveTimings;
import dev.merlai.music.Note;

import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Plays a melody into a live engine in (scaled) real time on one thread: each melody on/off at its time, the
 * clock every 16th note. An accompaniment event is late when the engine hands it over after its own time.
 */
final class LiveReplay {

    /** The engine's clock steps every 16th note, its grid. */
    private static final long STEP = MetricGrid.STEP_TICKS;

    /** What a replay measured; engine times in milliseconds. */
    record Figures(int melodyEvents, LateEvents received, double[] noteMillis, double[] planMillis) {

        ObjectNode toJson(ObjectMapper json) {
            ObjectNode node = received.into(json.createObjectNode(), melodyEvents);
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
        List<MelodyEvent> timeline = MelodyEvent.timeline(melody);
        long end = melody.stream().mapToLong(Note::end).max().orElse(0) + STEP;
        double[] noteMillis = new double[timeline.size()];
        double[] planMillis = new double[(int) (end / STEP) + 1];
        LateEvents received = new LateEvents();
        int next = 0, steps = 0;
        long started = System.nanoTime();
        for (long tick = 0; tick <= end; tick += STEP) {
            // the melody up to the clock's tick first, so the step hears what was played at it
            for (; next < timeline.size() && timeline.get(next).tick() <= tick; next++) {
                MelodyEvent event = timeline.get(next);
                sleepUntil(started + nanos(event.tick()));
                long before = System.nanoTime();
                if (event.on()) engine.noteOn(event.tick(), event.pitch(), event.velocity());
                else engine.noteOff(event.tick(), event.pitch());
                noteMillis[next] = (System.nanoTime() - before) / 1e6;
            }
            sleepUntil(started + nanos(tick));
            long before = System.nanoTime();
            List<LiveEvent> sent = tick + STEP > end ? engine.stop(tick) : engine.advance(tick);
            long after = System.nanoTime();
            planMillis[steps++] = (after - before) / 1e6;
            for (LiveEvent event : sent) received.received(event.type().name().toLowerCase(Locale.ROOT), (started + nanos(event.tick())) / 1e6, after / 1e6);
        }
        return new Figures(timeline.size(), received, noteMillis, Arrays.copyOf(planMillis, steps));
    }

    private long nanos(long tick) {
        return Math.round(engine.settings().millis(tick) * 1e6 / speed);
    }

    private static void sleepUntil(long nanoTime) throws InterruptedException {
        long wait = nanoTime - System.nanoTime();
        if (wait > 0) TimeUnit.NANOSECONDS.sleep(wait);
    }
}
