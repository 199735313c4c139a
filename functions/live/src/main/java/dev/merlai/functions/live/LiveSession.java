package dev.merlai.functions.live;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.merlai.arranger.ArrangeException;
import dev.merlai.arranger.ArrangeOptions;
import dev.merlai.arranger.Style;
import dev.merlai.arranger.grid.MetricGrid;
import dev.merlai.arranger.live.LiveEngine;
import dev.merlai.arranger.live.LiveEvent;
import dev.merlai.arranger.live.LiveSettings;
import dev.merlai.arranger.live.LiveTimings;
import dev.merlai.models.ModelRegistry;
import dev.merlai.music.ChordSheet;
import dev.merlai.music.MeterMap;
import dev.merlai.music.Score;
import dev.merlai.music.TimeSignature;
import dev.merlai.platform.http.InvalidRequestException;
import dev.merlai.tenancy.usage.Unit;
import dev.merlai.tenancy.usage.UsageLedger;
import io.vertx.core.http.ServerWebSocket;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One musician's live session over a WebSocket (the protocol: README's "Live" section and the JSON Schemas under
 * {@code live-schema/}). Everything the engine does runs on the session's own thread, in order: the client's
 * messages and the clock, every 16th note; only the plans are computed on the {@link LivePlanners} every session
 * shares (see {@link #step}). It plays with the base models, or the tenant's own model when start names one.
 * Times on the wire are the client's milliseconds; the start message says where the song's first downbeat falls in
 * them. A bad message is answered with an {@code error} naming the
 * field, and the session goes on. Stop, idle time-out, disconnect and shutdown all end it the same way: every sounding
 * note released, the minutes played billed once.
 */
final class LiveSession {

    private static final Logger LOG = Logger.getLogger(LiveSession.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The engine's clock steps every 16th note, its grid. */
    private static final long STEP = MetricGrid.STEP_TICKS;

    /** A message field that is missing or wrong, with what it should be. */
    private static final class BadField extends Exception {
        final String field;

        BadField(String field, String detail) {
            super(detail);
            this.field = field;
        }
    }

    private final ServerWebSocket socket;
    private final String tenant;
    private final LiveModels models;
    private final LivePlanners planners;
    private final UsageLedger usage;
    private final Duration idle;
    private final Runnable onEnd;
    private final String id = UUID.randomUUID().toString();
    private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor(runnable -> new Thread(runnable, "live-session"));
    /** The session's models from start on; given back at the end, once no plan of the session uses them. */
    private ModelRegistry.Lease lease;
    private boolean released;
    private Future<Computed> planning;
    private long planWaitNanos;
    private LiveEngine engine;
    private double clientZero;
    private long serverZeroNanos;
    private long lastHeardNanos = System.nanoTime();
    private long firstPlayed = -1;
    private long lastPlayed = -1;
    private boolean ended;
    private final List<Double> noteMillis = new ArrayList<>();
    private final List<Double> stepMillis = new ArrayList<>();

    LiveSession(ServerWebSocket socket, String tenant, LiveModels models, LivePlanners planners, UsageLedger usage, Duration idle, Runnable onEnd) {
        this.socket = socket;
        this.tenant = tenant;
        this.models = models;
        this.planners = planners;
        this.usage = usage;
        this.idle = idle;
        this.onEnd = onEnd;
    }

    void open() {
        socket.textMessageHandler(text -> onSessionThread(() -> receive(text)));
        socket.closeHandler(closed -> onSessionThread(() -> end("disconnected")));
        thread.scheduleAtFixedRate(this::watchIdle, idle.toMillis(), Math.max(100, idle.toMillis() / 4), TimeUnit.MILLISECONDS);
    }

    /** Runs the work on the session's thread; after the session ended there is none (a late message is dropped). */
    private void onSessionThread(Runnable work) {
        try {
            thread.execute(work);
        } catch (RejectedExecutionException ended) {
            // the session is over: nothing more to play or answer
        }
    }

    private void receive(String text) {
        if (ended) return;
        long receivedNanos = System.nanoTime();
        lastHeardNanos = receivedNanos;
        try {
            JsonNode message;
            try {
                message = JSON.readTree(text);
            } catch (JsonProcessingException e) {
                throw new BadField("message", "not JSON: " + e.getOriginalMessage());
            }
            if (message == null || !message.isObject()) throw new BadField("message", "a message is a JSON object with a type");
            switch (message.path("type").asText()) {
                case "start" -> start(message, receivedNanos);
                case "note" -> note(message);
                case "clock" -> {
                    double now = number(message, "now");
                    if (engine != null) catchUp(now);
                    send(JSON.createObjectNode().put("type", "clock").put("now", now).put("server", System.currentTimeMillis()));
                }
                case "stop" -> end("stopped");
                default -> throw new BadField("type", "type must be start, note, clock or stop");
            }
        } catch (BadField bad) {
            send(JSON.createObjectNode().put("type", "error").put("field", bad.field).put("detail", bad.getMessage()));
        }
    }

    private void start(JsonNode message, long receivedNanos) throws BadField {
        if (engine != null) throw new BadField("type", "the session has started already");
        double tempo = number(message, "tempo");
        double now = number(message, "now");
        double at = message.has("at") ? number(message, "at") : now;
        String meterText = message.path("meter").asText("4/4");
        TimeSignature signature;
        try {
            String[] parts = meterText.split("/");
            signature = new TimeSignature(0, Integer.parseInt(parts[0].strip()), Integer.parseInt(parts[1].strip()));
        } catch (RuntimeException e) {
            throw new BadField("meter", "meter is a time signature such as 4/4 or 3/4, was '" + meterText + "'");
        }
        if (!(tempo >= 20 && tempo <= 400)) throw new BadField("tempo", "tempo must be 20..400 quarters per minute, was " + tempo);
        double downbeat = message.has("downbeat") ? number(message, "downbeat") : at;
        if (downbeat < at) throw new BadField("downbeat", "downbeat (the first downbeat) must not come before at (the song's start)");
        long pickup = Math.round((downbeat - at) * tempo * Score.TICKS_PER_QUARTER / 60_000.0) % signature.barTicks();
        MeterMap meter = new MeterMap(List.of(signature), pickup);
        ArrangeOptions options;
        try {
            options = ArrangeOptions.DEFAULT.with(o -> o.seed(message.path("seed").asLong(1)).style(Style.fromId(message.path("style").asText("pop")))
                    .density(message.path("density").asDouble(0.5)).drums(message.hasNonNull("drums") ? message.get("drums").asText() : null));
        } catch (IllegalArgumentException e) {
            throw new BadField(e.getMessage().startsWith("density") ? "density" : e.getMessage().startsWith("drums") ? "drums" : "style", e.getMessage());
        }
        try {
            if (message.hasNonNull("chords")) {
                ChordSheet given = ChordSheet.parse(message.get("chords").asText());
                options = options.with(o -> o.chords(given));
            }
        } catch (IllegalArgumentException e) {
            throw new BadField("chords", e.getMessage());
        }
        LiveSettings settings;
        try {
            double lookahead = message.path("lookahead").asDouble(1);
            settings = new LiveSettings(tempo, meter, options, Math.round(lookahead * signature.beatTicks()), LiveSettings.DEFAULT_CONTEXT_BARS);
        } catch (IllegalArgumentException e) {
            throw new BadField(e.getMessage().startsWith("tempo") ? "tempo" : "lookahead", e.getMessage());
        }
        String model = message.hasNonNull("model") ? message.get("model").asText() : null;
        try {
            lease = models.acquire(tenant, model);
        } catch (InvalidRequestException e) {
            throw new BadField(e.field(), e.getMessage());
        } catch (RuntimeException e) {
            LOG.warnf("live session %s: %s", id, e.getMessage());
            throw new BadField("model", e.getMessage());
        }
        engine = new LiveEngine(lease.arranger(), settings);
        // a step waits for its plan at most half the time between the step and the soonest event it may commit
        planWaitNanos = Math.round(Math.max(0, settings.millis(settings.lookahead() - STEP)) / 2 * 1e6);
        clientZero = at;
        // read when start came, not after its model loaded
        serverZeroNanos = receivedNanos + Math.round((at - now) * 1e6);
        long stepNanos = Math.round(settings.millis(STEP) * 1e6);
        long untilZero = Math.max(0, serverZeroNanos - System.nanoTime());
        thread.scheduleAtFixedRate(this::step, untilZero, stepNanos, TimeUnit.NANOSECONDS);
        send(JSON.createObjectNode().put("type", "started").put("session", id).put("lookahead", settings.millis(settings.lookahead()))
                .put("modelVersion", model == null ? engine.modelVersion() : lease.version()));
    }

    private void note(JsonNode message) throws BadField {
        if (engine == null) throw new BadField("type", "send start before notes");
        if (!message.has("on") || !message.get("on").isBoolean()) throw new BadField("on", "on is true (note on) or false (note off)");
        int pitch = integer(message, "pitch", 0, 127);
        double at = number(message, "at");
        long tick = engine.settings().ticks(at - clientZero);
        if (tick < 0) throw new BadField("at", "at is before the session's first downbeat (start's at)");
        catchUp(at);
        long started = System.nanoTime();
        if (message.get("on").asBoolean()) engine.noteOn(tick, pitch, message.has("velocity") ? integer(message, "velocity", 1, 127) : 100);
        else engine.noteOff(tick, pitch);
        noteMillis.add((System.nanoTime() - started) / 1e6);
    }

    /**
     * The clock's step: a plan due is computed on the planners, and waited for at most {@link #planWaitNanos}
     * (usually it is done by then, and this step's commit hears it); then what is due is committed and sent, from the
     * newest plan there is. A plan slowed down by a busy machine so never holds up what is due: the previous plan
     * reaches at least a bar ahead, and the new one is taken on the step after it is done.
     */
    private void step() {
        if (ended) return;
        double engineMillis = 0;
        try {
            if (planning == null) {
                LiveEngine.Plan plan = engine.planDue(now());
                if (plan != null) {
                    planning = planners.submit(() -> computed(plan));
                    try {
                        planning.get(planWaitNanos, TimeUnit.NANOSECONDS);
                    } catch (TimeoutException stillPlanning) {
                        // committed from the previous plan meanwhile
                    }
                }
            }
            if (planning != null && planning.isDone()) {
                Future<Computed> done = planning;
                planning = null;
                Computed computed = done.get();
                engine.adopt(computed.plan());
                engineMillis += computed.millis();
            }
            long started = System.nanoTime();
            send(events(engine.commit(now())));
            engineMillis += (System.nanoTime() - started) / 1e6;
        } catch (RejectedExecutionException | CancellationException shuttingDown) {
            end("shutdown");
            return;
        } catch (ExecutionException e) {
            LOG.warnf("live session %s: %s", id, e.getCause().getMessage());
            send(JSON.createObjectNode().put("type", "error").put("field", "melody").put("detail", e.getCause().getMessage()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            LOG.warnf("live session %s: %s", id, e.getMessage());
            send(JSON.createObjectNode().put("type", "error").put("field", "melody").put("detail", e.getMessage()));
        }
        stepMillis.add(engineMillis);
    }

    /** A plan computed, with how long that took. */
    private record Computed(LiveEngine.Plan plan, double millis) {
    }

    /** Computes the plan, unless the session has given its models back meanwhile (it ended; nothing will adopt it). */
    private Computed computed(LiveEngine.Plan plan) throws ArrangeException {
        synchronized (lease) {
            if (released) return new Computed(plan, 0);
            long started = System.nanoTime();
            plan.compute();
            return new Computed(plan, (System.nanoTime() - started) / 1e6);
        }
    }

    /**
     * The client's clock read at least {@code clientMillis} when it sent a message. The server reads the client's
     * clock from the start message as if it had come at once; when it came late (a busy machine), that reading is
     * behind, and every event would be sent as much later: a later message that shows it moves it forward.
     */
    private void catchUp(double clientMillis) {
        long zero = System.nanoTime() - Math.round((clientMillis - clientZero) * 1e6);
        if (zero < serverZeroNanos) serverZeroNanos = zero;
    }

    private void watchIdle() {
        if (!ended && System.nanoTime() - lastHeardNanos > idle.toNanos()) end("idle");
    }

    /** Releases every sounding note, bills what was played, says so and closes; once, whatever ended it. */
    private void end(String reason) {
        if (ended) return;
        ended = true;
        long minutes = 0;
        if (engine != null) {
            send(events(engine.stop(now())));
            if (firstPlayed >= 0) {
                minutes = (long) Math.ceil(engine.settings().millis(Math.max(1, lastPlayed - firstPlayed)) / 60_000.0);
                try {
                    usage.record(tenant, "live-" + id, Unit.LIVE_MINUTES, minutes);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "live session %s of %s: %d minutes played, not billed", id, tenant, minutes);
                }
            }
        }
        ObjectNode stopped = JSON.createObjectNode().put("type", "stopped").put("reason", reason).put("minutes", minutes);
        stopped.putObject("engineMillisPerMelodyEvent").put("p50", LiveTimings.percentile(noteMillis, 50)).put("p99", LiveTimings.percentile(noteMillis, 99));
        stopped.putObject("engineMillisPerClockStep").put("p50", LiveTimings.percentile(stepMillis, 50)).put("p99", LiveTimings.percentile(stepMillis, 99));
        send(stopped);
        if (!socket.isClosed()) socket.close();
        thread.shutdown();
        if (lease != null) {
            if (planning != null) planning.cancel(false);
            synchronized (lease) {  // waits for a plan still computing with the models
                released = true;
                lease.close();
            }
        }
        onEnd.run();
    }

    private long now() {
        return Math.max(0, engine.settings().ticks((System.nanoTime() - serverZeroNanos) / 1e6));
    }

    private ObjectNode events(List<LiveEvent> events) {
        if (events.isEmpty()) return null;
        ObjectNode message = JSON.createObjectNode().put("type", "events");
        ArrayNode list = message.putArray("events");
        for (LiveEvent event : events) {
            ObjectNode node = list.addObject().put("at", Math.round((clientZero + engine.settings().millis(event.tick())) * 10) / 10.0);
            switch (event.type()) {
                case ON -> node.put("type", "on").put("channel", event.channel()).put("pitch", event.pitch()).put("velocity", event.velocity());
                case OFF -> node.put("type", "off").put("channel", event.channel()).put("pitch", event.pitch());
                case CHORD -> node.put("type", "chord").put("chord", event.chord());
            }
            if (event.type() == LiveEvent.Type.ON && firstPlayed < 0) firstPlayed = event.tick();
            if (event.type() == LiveEvent.Type.OFF) lastPlayed = Math.max(lastPlayed, event.tick());
        }
        return message;
    }

    private void send(ObjectNode message) {
        if (message != null && !socket.isClosed()) socket.writeTextMessage(message.toString());
    }

    private static double number(JsonNode message, String field) throws BadField {
        JsonNode value = message.get(field);
        if (value == null || !value.isNumber()) throw new BadField(field, field + " must be a number");
        return value.asDouble();
    }

    private static int integer(JsonNode message, String field, int min, int max) throws BadField {
        JsonNode value = message.get(field);
        if (value == null || !value.canConvertToInt() || !value.isIntegralNumber() || value.asInt() < min || value.asInt() > max) {
            throw new BadField(field, field + " must be a whole number " + min + ".." + max);
        }
        return value.asInt();
    }
}
