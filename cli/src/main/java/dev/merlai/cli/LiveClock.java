package dev.merlai.cli;

import dev.merlai.arranger.ArrangeException;
import dev.merlai.arranger.grid.MetricGrid;
import dev.merlai.arranger.live.LiveEngine;
import dev.merlai.arranger.live.LiveEvent;

import javax.sound.midi.ShortMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Drives a live engine from the wall clock for a player: melody notes as they arrive, the clock every 16th note,
 * and each accompaniment event handed to the sink at its time.
 */
final class LiveClock {

    /** Where the accompaniment goes. */
    interface Sink {
        void play(LiveEvent event, long atNanos);
    }

    /** The engine's clock steps every 16th note, its grid. */
    private static final long STEP = MetricGrid.STEP_TICKS;
    private final LiveEngine engine;
    private final Sink sink;
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();
    /** Plays the events at their time on a thread of its own, so that a plan being made never holds up a note sent. */
    private final ScheduledExecutorService player = Executors.newSingleThreadScheduledExecutor();
    private final List<LiveEvent> sounding = new ArrayList<>();
    private long started;

    LiveClock(LiveEngine engine, Sink sink) {
        this.engine = engine;
        this.sink = sink;
    }

    void start() {
        started = System.nanoTime();
        long stepNanos = Math.round(engine.settings().millis(STEP) * 1e6);
        scheduler.scheduleAtFixedRate(this::tick, 0, stepNanos, TimeUnit.NANOSECONDS);
    }

    /** A MIDI note on or off from the player (other messages are ignored). */
    synchronized void melody(int command, int pitch, int velocity) {
        long tick = now();
        if (command == ShortMessage.NOTE_ON && velocity > 0) engine.noteOn(tick, pitch, velocity);
        else if (command == ShortMessage.NOTE_OFF || command == ShortMessage.NOTE_ON) engine.noteOff(tick, pitch);
    }

    private synchronized void tick() {
        try {
            schedule(engine.advance(now()));
        } catch (ArrangeException | RuntimeException e) {
            System.err.println("merlai live: " + e.getMessage());
        }
    }

    /** Stops: every note played and not yet released (its note-off may still have been waiting) is released now. */
    synchronized void stop() {
        scheduler.shutdownNow();
        player.shutdownNow();
        engine.stop(now());
        synchronized (sounding) {
            for (LiveEvent on : sounding) sink.play(new LiveEvent(now(), LiveEvent.Type.OFF, on.channel(), on.pitch(), 0, null), System.nanoTime());
            sounding.clear();
        }
    }

    private void play(LiveEvent event, long at) {
        synchronized (sounding) {
            if (event.type() == LiveEvent.Type.ON) sounding.add(event);
            if (event.type() == LiveEvent.Type.OFF) sounding.removeIf(on -> on.channel() == event.channel() && on.pitch() == event.pitch());
        }
        sink.play(event, at);
    }

    private void schedule(List<LiveEvent> events) {
        for (LiveEvent event : events) {
            long at = started + Math.round(engine.settings().millis(event.tick()) * 1e6);
            player.schedule(() -> play(event, at), Math.max(0, at - System.nanoTime()), TimeUnit.NANOSECONDS);
        }
    }

    private long now() {
        return engine.settings().ticks((System.nanoTime() - started) / 1e6);
    }
}
