package dev.merlai.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.merlai.arranger.live.LiveSettings;
import dev.merlai.music.Chord;
import dev.merlai.music.ChordSpan;
import dev.merlai.music.KeySignature;
import dev.merlai.music.Note;
import dev.merlai.music.Role;
import dev.merlai.music.Track;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Plays a melody to the live API ({@code /v1/live}) in (scaled) real time over a WebSocket and records what comes
 * back: an event is late when it arrives after the client time it is to be played at. Its start message carries every
 * option the live API takes (style, seed, density, drums, the given chords, the look-ahead and the tenant's model).
 */
final class LiveApiReplay implements WebSocket.Listener {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long COUNT_IN_MILLIS = 500;
    private static final long CLOCK_EVERY_MILLIS = 5_000;

    /** The live API refused the start message: {@code field} is the option at fault. */
    static final class Refused extends Exception {
        final String field;

        Refused(String field, String detail) {
            super(detail);
            this.field = field;
        }
    }

    /** What came back: the accompaniment as tracks and chords, and the figures as JSON. */
    record Recording(List<Track> tracks, List<ChordSpan> chords, ObjectNode figures) {
    }

    private final URI url;
    private final String apiKey;
    private final LiveSettings settings;
    private final double speed;
    private final String model;
    private final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final StringBuilder partial = new StringBuilder();
    private volatile double zero;
    private final LateEvents lateEvents = new LateEvents();

    /** {@code model}: the tenant's personal model the session plays with, null for the base models. */
    LiveApiReplay(URI url, String apiKey, LiveSettings settings, double speed, String model) {
        this.url = url;
        this.apiKey = apiKey;
        this.settings = settings;
        this.speed = speed;
        this.model = model;
    }

    @Override
    public CompletionStage<?> onText(WebSocket socket, CharSequence data, boolean last) {
        partial.append(data);
        if (last) {
            double arrived = System.nanoTime() / 1e6;
            try {
                JsonNode message = JSON.readTree(partial.toString());
                if (message.path("type").asText().equals("events")) {
                    for (JsonNode event : message.get("events")) {
                        lateEvents.received(event.get("type").asText(), event.get("at").asDouble(), arrived);
                    }
                }
                received.add(message);
            } catch (IOException e) {
                throw new IllegalStateException("the live API sent no JSON: " + e.getMessage(), e);
            }
            partial.setLength(0);
        }
        socket.request(1);
        return null;
    }

    /** @throws Refused the live API refused the start (a model the tenant does not have, an option out of range) */
    Recording play(List<Note> melody) throws IOException, InterruptedException, Refused {
        WebSocket socket;
        try {
            socket = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + apiKey)
                    .buildAsync(url, this).get(30, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            throw new IOException("cannot open the live API at " + url + ": " + (e.getCause() == null ? e : e.getCause()).getMessage(), e);
        }
        // the client's clock is System.nanoTime in milliseconds; the song is played `speed` times faster, so the
        // server hears a tempo `speed` times the song's
        double now = System.nanoTime() / 1e6;
        zero = now + COUNT_IN_MILLIS;
        double tempo = settings.bpm() * speed;
        var meter = settings.signature();
        ObjectNode start = JSON.createObjectNode().put("type", "start").put("tempo", tempo).put("meter", meter.numerator() + "/" + meter.denominator())
                .put("now", now).put("at", zero).put("downbeat", zero + ms(settings.meter().pickup()));
        options(start);
        socket.sendText(start.toString(), true).join();
        JsonNode started = started();
        for (MelodyEvent entry : MelodyEvent.timeline(melody)) {
            double at = zero + ms(entry.tick());
            long wait;
            // a rest longer than the server's idle time-out is bridged with clock messages, as a player's client keeps
            // its clock in step while the player rests
            while ((wait = Math.round(at - System.nanoTime() / 1e6)) > CLOCK_EVERY_MILLIS) {
                Thread.sleep(CLOCK_EVERY_MILLIS);
                socket.sendText(JSON.createObjectNode().put("type", "clock").put("now", System.nanoTime() / 1e6).toString(), true).join();
            }
            if (wait > 0) Thread.sleep(wait);
            ObjectNode note = JSON.createObjectNode().put("type", "note").put("on", entry.on()).put("pitch", entry.pitch()).put("at", at);
            if (entry.on()) note.put("velocity", entry.velocity());
            socket.sendText(note.toString(), true).join();
        }
        socket.sendText("{\"type\":\"stop\"}", true).join();
        List<JsonNode> messages = new ArrayList<>();
        JsonNode stopped;
        do {
            stopped = received.poll(60, TimeUnit.SECONDS);
            if (stopped == null) throw new IOException("the live API did not say stopped within a minute of stop");
            messages.add(stopped);
        } while (!stopped.path("type").asText().equals("stopped"));
        Recording recording = recording(messages, stopped, melody.size() * 2);
        recording.figures().put("modelVersion", started.path("modelVersion").asText()).put("lookaheadMillis", started.path("lookahead").asDouble());
        return recording;
    }

    /** The arrangement options of the start message: every one the live API takes. */
    private void options(ObjectNode start) {
        var options = settings.options();
        start.put("style", options.style().id()).put("seed", options.seed()).put("density", options.density())
                .put("lookahead", (double) settings.lookahead() / settings.beatTicks());
        if (options.drums() != null) start.put("drums", options.drums());
        // spelled in C: the chords parse back the same whatever the key
        if (!options.chords().isEmpty()) start.put("chords", options.chords().toString(new KeySignature(0, 0, KeySignature.Mode.MAJOR)));
        if (model != null) start.put("model", model);
    }

    /** The answer to start: started, before a note is played. */
    private JsonNode started() throws IOException, InterruptedException, Refused {
        JsonNode answer = received.poll(2, TimeUnit.MINUTES);
        if (answer == null) throw new IOException("the live API did not answer start within two minutes");
        if (answer.path("type").asText().equals("error")) throw new Refused(answer.path("field").asText(), answer.path("detail").asText());
        return answer;
    }

    /** Milliseconds after the song's start of a tick, at the replay's speed. */
    private double ms(long tick) {
        return settings.millis(tick) / speed;
    }

    private long tick(double at) {
        return Math.max(0, settings.ticks((at - zero) * speed));
    }

    private Recording recording(List<JsonNode> messages, JsonNode stopped, int melodyEvents) {
        Map<Integer, List<Note>> byChannel = new TreeMap<>();
        Map<String, Deque<long[]>> sounding = new HashMap<>();
        List<ChordSpan> chords = new ArrayList<>();
        long[] chordStart = null;
        String chordLabel = null;
        long lastTick = 0;
        for (JsonNode message : messages) {
            if (message.path("type").asText().equals("error")) System.err.println("merlai live: the API said " + message);
            if (!message.path("type").asText().equals("events")) continue;
            for (JsonNode event : message.get("events")) {
                long tick = tick(event.get("at").asDouble());
                lastTick = Math.max(lastTick, tick);
                String type = event.get("type").asText();
                if (type.equals("chord")) {
                    if (chordLabel != null && tick > chordStart[0]) chords.add(new ChordSpan(chordStart[0], tick - chordStart[0], Chord.parse(chordLabel)));
                    chordStart = new long[]{tick};
                    chordLabel = event.get("chord").asText();
                    continue;
                }
                int channel = event.get("channel").asInt(), pitch = event.get("pitch").asInt();
                String key = channel + "/" + pitch;
                if (type.equals("on")) sounding.computeIfAbsent(key, k -> new ArrayDeque<>()).add(new long[]{tick, event.get("velocity").asInt()});
                else if (sounding.containsKey(key) && !sounding.get(key).isEmpty()) {
                    long[] on = sounding.get(key).poll();
                    byChannel.computeIfAbsent(channel, c -> new ArrayList<>()).add(new Note(pitch, (int) on[1], on[0], Math.max(1, tick - on[0])));
                }
            }
        }
        if (chordLabel != null && lastTick > chordStart[0]) chords.add(new ChordSpan(chordStart[0], lastTick - chordStart[0], Chord.parse(chordLabel)));
        List<Track> tracks = new ArrayList<>();
        byChannel.forEach((channel, notes) -> tracks.add(channel == Track.DRUM_CHANNEL
                ? new Track(Role.DRUMS.trackName(), Role.DRUMS, 0, channel, notes)
                : new Track("CHANNEL " + (channel + 1), Role.OTHER, 0, channel, notes)));
        ObjectNode figures = lateEvents.into(JSON.createObjectNode(), melodyEvents)
                .put("stuckNotes", sounding.values().stream().mapToInt(Deque::size).sum()).put("minutesBilled", stopped.path("minutes").asLong());
        figures.set("engineMillisPerMelodyEvent", stopped.get("engineMillisPerMelodyEvent"));
        figures.set("engineMillisPerClockStep", stopped.get("engineMillisPerClockStep"));
        return new Recording(tracks, chords, figures);
    }
}
