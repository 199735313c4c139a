package dev.merlai.functions.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merlai.tenancy.TenantRegistry;
import dev.merlai.tenancy.usage.Unit;
import dev.merlai.tenancy.usage.UsageLedger;
import dev.merlai.tenancy.usage.UsageRecord;
import dev.merlai.testing.RedisResource;
import dev.merlai.testing.S3ProxyResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse;
import java.net.http.WebSocket;
import java.net.http.WebSocketHandshakeException;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The live API over a real WebSocket: the real engine and models, real S3Proxy and Redis. */
@QuarkusTest
@QuarkusTestResource(S3ProxyResource.class)
@QuarkusTestResource(RedisResource.class)
class LiveRouteTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final double TEMPO = 200;
    private static final double BEAT_MS = 60_000 / TEMPO;
    /** Ode to joy's first four bars, one quarter note each (a 0 holds the note before). */
    private static final int[] TUNE = {64, 64, 65, 67, 67, 65, 64, 62, 60, 60, 62, 64, 64, 62, 62, 0};

    @TestHTTPResource("/v1/live")
    URI live;

    @Inject
    TenantRegistry registry;

    @Inject
    UsageLedger usage;

    /** A client that keeps every message the server sends. */
    static final class Client implements WebSocket.Listener {
        final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
        private final StringBuilder partial = new StringBuilder();
        WebSocket socket;

        @Override
        public CompletionStage<?> onText(WebSocket webSocket, CharSequence data, boolean last) {
            partial.append(data);
            if (last) {
                try {
                    received.add(JSON.readTree(partial.toString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
                partial.setLength(0);
            }
            webSocket.request(1);
            return null;
        }

        void send(String json) {
            socket.sendText(json, true).join();
        }

        /** The next message of this type (others on the way are kept in {@code seen}). */
        JsonNode next(String type, List<JsonNode> seen) throws InterruptedException {
            while (true) {
                JsonNode message = received.poll(120, TimeUnit.SECONDS);
                assertNotNull(message, "no " + type + " message came");
                seen.add(message);
                if (message.path("type").asText().equals(type)) return message;
            }
        }

        /** Opens a session's WebSocket at {@code live} (the route's http address) with the API key, if any. */
        static Client open(URI live, String apiKey) throws Exception {
            Client client = new Client();
            WebSocket.Builder builder = HttpClient.newHttpClient().newWebSocketBuilder();
            if (apiKey != null) builder.header("Authorization", "Bearer " + apiKey);
            client.socket = builder.buildAsync(URI.create(live.toString().replaceFirst("^http", "ws")), client).get(60, TimeUnit.SECONDS);
            return client;
        }
    }

    private Client connect(String apiKey) throws Exception {
        return Client.open(live, apiKey);
    }

    private static long now() {
        return System.currentTimeMillis();
    }

    /**
     * Starts a session whose first downbeat is half a second from now, with {@code options} (more start fields, such as
     * {@code ,"model":"m-1"}), and plays the tune in real time; returns the started message.
     */
    static JsonNode startAndPlay(Client client, String options) throws Exception {
        double zero = now() + 500;
        client.send("{\"type\":\"start\",\"tempo\":" + TEMPO + ",\"meter\":\"4/4\",\"style\":\"pop\",\"seed\":3,\"at\":" + zero + ",\"now\":" + now() + options + "}");
        JsonNode started = client.next("started", new ArrayList<>());
        for (int beat = 0; beat < TUNE.length; beat++) {
            if (TUNE[beat] == 0) continue;
            double at = zero + beat * BEAT_MS;
            Thread.sleep(Math.max(0, (long) at - now()));
            client.send("{\"type\":\"note\",\"on\":true,\"pitch\":" + TUNE[beat] + ",\"velocity\":90,\"at\":" + at + "}");
            int held = beat + 1 < TUNE.length && TUNE[beat + 1] == 0 ? 2 : 1;
            client.send("{\"type\":\"note\",\"on\":false,\"pitch\":" + TUNE[beat] + ",\"at\":" + (at + held * BEAT_MS - 20) + "}");
        }
        return started;
    }

    /** Per channel and pitch, note-ons minus note-offs over the events messages among {@code messages}. */
    static Map<String, Integer> sounding(List<JsonNode> messages) {
        Map<String, Integer> sounding = new HashMap<>();
        for (JsonNode message : messages) {
            if (!message.path("type").asText().equals("events")) continue;
            for (JsonNode event : message.get("events")) {
                String key = event.path("channel").asInt() + "/" + event.path("pitch").asInt();
                if (event.get("type").asText().equals("on")) sounding.merge(key, 1, Integer::sum);
                if (event.get("type").asText().equals("off")) sounding.merge(key, -1, Integer::sum);
            }
        }
        sounding.values().removeIf(count -> count == 0);
        return sounding;
    }

    @Test
    void withoutAnApiKeyTheUpgradeIsRefused() {
        assertEquals(401, refusedUpgrade(null).statusCode());
    }

    @Test
    void aTenantWhoseMonthUsedUpItsLiveMinutesIsRefusedBeforeTheUpgrade() {
        String tenant = "live-spent";
        String apiKey = registry.issueKey(tenant, "tiny").apiKey();
        usage.record(tenant, "live-earlier", Unit.LIVE_MINUTES, 1);
        HttpResponse<?> refused = refusedUpgrade(apiKey);
        assertEquals(402, refused.statusCode());
        assertEquals("application/problem+json", refused.headers().firstValue("Content-Type").orElse(""));
        assertTrue(refused.headers().firstValue("Retry-After").isPresent(), "says when the month resets");
    }

    private HttpResponse<?> refusedUpgrade(String apiKey) {
        ExecutionException refused = assertThrows(ExecutionException.class, () -> connect(apiKey));
        return assertInstanceOf(WebSocketHandshakeException.class, refused.getCause()).getResponse();
    }

    @Test
    void playsAlongReleasesEveryNoteOnStopAndBillsTheMinutePlayed() throws Exception {
        String tenant = "live-player";
        Client client = connect(registry.issueKey(tenant, "free").apiKey());
        startAndPlay(client, "");
        client.send("{\"type\":\"stop\"}");
        List<JsonNode> messages = new ArrayList<>();
        JsonNode stopped = client.next("stopped", messages);

        List<JsonNode> events = new ArrayList<>();
        for (JsonNode message : messages) if (message.path("type").asText().equals("events")) message.get("events").forEach(events::add);
        assertTrue(events.stream().anyMatch(event -> event.get("type").asText().equals("chord")), "chords are sent");
        assertTrue(events.stream().anyMatch(event -> event.get("type").asText().equals("on") && event.get("channel").asInt() == 9), "pop plays drums");
        assertTrue(events.stream().filter(event -> event.get("type").asText().equals("on")).map(event -> event.get("channel").asInt()).distinct().count() >= 3);
        assertEquals(Map.of(), sounding(messages), "every note-on has its note-off");
        assertEquals(1, stopped.get("minutes").asLong(), "a few seconds played are one started minute");

        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        List<UsageRecord> records = usage.records(tenant, today.minusDays(1), today.plusDays(1));
        assertTrue(records.stream().anyMatch(record -> record.unit() == Unit.LIVE_MINUTES && record.amount() == 1), "billed: " + records);
    }

    @Test
    void aBadMessageIsAnsweredWithItsFieldAndTheSessionGoesOnUntilItFallsSilent() throws Exception {
        Client client = connect(registry.issueKey("live-typo", "free").apiKey());
        client.send("{\"type\":\"start\",\"tempo\":120,\"now\":" + now() + "}");
        client.next("started", new ArrayList<>());
        client.send("{\"type\":\"note\",\"on\":true,\"pitch\":200,\"at\":" + now() + "}");
        assertEquals("pitch", client.next("error", new ArrayList<>()).get("field").asText());
        client.send("not json");
        assertEquals("message", client.next("error", new ArrayList<>()).get("field").asText());
        client.send("{\"type\":\"dance\"}");
        assertEquals("type", client.next("error", new ArrayList<>()).get("field").asText());

        long sent = now();
        client.send("{\"type\":\"clock\",\"now\":" + sent + "}");
        JsonNode pong = client.next("clock", new ArrayList<>());
        assertEquals(sent, pong.get("now").asLong(), "the session goes on: the clock is answered");
        assertTrue(pong.has("server"));

        client.send("{\"type\":\"note\",\"on\":true,\"pitch\":67,\"velocity\":80,\"at\":" + now() + "}");
        List<JsonNode> messages = new ArrayList<>();
        JsonNode stopped = client.next("stopped", messages);
        assertEquals("idle", stopped.get("reason").asText(), "a silent session is closed");
        assertEquals(Map.of(), sounding(messages), "and what it played is released");
    }
}
