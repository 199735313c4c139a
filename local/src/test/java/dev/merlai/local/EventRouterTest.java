package dev.merlai.local;

import dev.merlai.events.CloudEvent;

import dev.merlai.embedded.ChildProcess;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merlai.local.EventRouter.Outcome;
import dev.merlai.events.EventSignature;
import dev.merlai.local.Subscriber.Answer;
import io.cloudevents.http.HttpMessageFactory;
import io.cloudevents.jackson.JsonFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("EventRouter")
class EventRouterTest {

    private static final String UPLOADED = "test.uploaded";
    private static final String COMPLETED = "test.completed";
    /** Short backoffs: 2 retries after 20 and 40 ms; 2 s an attempt; no more patience with an unreachable subscriber. */
    private static final DeliveryPolicy FAST = DeliveryPolicy.DEFAULT.withRetries(2, Duration.ofMillis(20)).withAttemptTimeout(Duration.ofSeconds(2))
            .withUnreachablePatience(Duration.ZERO);

    @TempDir
    Path deadLetters;
    private Subscriber subscriber;
    private EventRouter router;

    @AfterEach
    void stop() {
        if (router != null) router.close();
        if (subscriber != null) subscriber.close();
    }

    private static CloudEvent event(String id) {
        return CloudEvent.json(UPLOADED, "/test", id, "tenants/demo/inbox/song.mid", "{\"tenant\":\"demo\"}");
    }

    private EventRouter router(Map<String, List<URI>> routes) throws IOException {
        router = EventRouter.start("127.0.0.1", 0, routes, deadLetters, FAST, Subscriber.SIGNATURE);
        return router;
    }

    private static List<Outcome> await(java.util.concurrent.CompletableFuture<List<Outcome>> outcomes) throws Exception {
        return outcomes.get(10, TimeUnit.SECONDS);
    }

    @Test
    @DisplayName("retries a 500 with backoff and delivers on the attempt that succeeds, headers and body intact")
    void retriesThenDelivers() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        subscriber = new Subscriber(got -> calls.incrementAndGet() <= 2 ? Answer.status(500) : Answer.status(204));
        router(Map.of(UPLOADED, List.of(subscriber.url("/"))));

        List<Outcome> outcomes = await(router.publish(event("e1")));

        assertEquals(1, outcomes.size());
        assertTrue(outcomes.get(0).delivered());
        assertEquals(3, outcomes.get(0).attempts());
        assertEquals("204", outcomes.get(0).lastStatus());
        List<Subscriber.Received> got = subscriber.drain();
        assertEquals(3, got.size(), "one request per attempt");
        for (Subscriber.Received request : got) {
            assertTrue(request.signed(), "each attempt is signed anew");
            assertEquals("e1", request.event().id());
            assertEquals(UPLOADED, request.event().type());
            assertEquals("tenants/demo/inbox/song.mid", request.event().subject());
            assertEquals("{\"tenant\":\"demo\"}", new String(request.event().data(), StandardCharsets.UTF_8));
        }
        assertEquals(0, router.pending());
    }

    @Test
    @DisplayName("follows a reply event (2xx with ce-type and a body) to the subscribers of its type")
    void followsReplies() throws Exception {
        subscriber = new Subscriber(got -> got.path().equals("/complete")
                ? Answer.reply(COMPLETED, "r1", "{\"job\":\"j1\"}") : Answer.status(204));
        router(Map.of(UPLOADED, List.of(subscriber.url("/complete")), COMPLETED, List.of(subscriber.url("/render"))));

        List<Outcome> outcomes = await(router.publish(event("e2")));

        assertEquals(List.of(subscriber.url("/complete"), subscriber.url("/render")), outcomes.stream().map(Outcome::target).toList());
        assertTrue(outcomes.stream().allMatch(Outcome::delivered));
        assertEquals("/complete", subscriber.next().path());
        Subscriber.Received reply = subscriber.next();
        assertEquals("/render", reply.path());
        assertEquals(COMPLETED, reply.event().type());
        assertEquals("r1", reply.event().id());
        assertEquals("/test/function", reply.event().source());
        assertEquals("{\"job\":\"j1\"}", new String(reply.event().data(), StandardCharsets.UTF_8));
    }

    @Test
    @DisplayName("dead-letters an event after the last retry, as a replayable file named <timestamp>-<ce-id>.json")
    void deadLettersAfterRetries() throws Exception {
        subscriber = new Subscriber(got -> Answer.status(503));
        router(Map.of(UPLOADED, List.of(subscriber.url("/"))));

        Outcome outcome = await(router.publish(event("e3"))).get(0);

        assertFalse(outcome.delivered());
        assertEquals(3, outcome.attempts(), "the first attempt and 2 retries");
        assertEquals(3, subscriber.drain().size());
        Path file = outcome.deadLetter();
        assertNotNull(file);
        assertEquals(deadLetters, file.getParent());
        assertTrue(file.getFileName().toString().matches("\\d{8}T\\d{6}\\.\\d{3}Z-e3\\.json"), file.toString());
        JsonNode letter = new ObjectMapper().readTree(file.toFile());
        assertEquals(subscriber.url("/").toString(), letter.get("target").asText());
        assertTrue(letter.get("reason").asText().contains("503"), letter.toString());
        assertEquals("e3", letter.get("headers").get("ce-id").asText());
        assertEquals(UPLOADED, letter.get("headers").get("ce-type").asText());
        assertEquals("{\"tenant\":\"demo\"}", letter.get("body").asText());
    }

    @Test
    @DisplayName("dead-letters a 4xx at once: the event is bad, retrying cannot help")
    void deadLettersBadEvents() throws Exception {
        subscriber = new Subscriber(got -> new Answer(400, Map.of(), "no such tenant".getBytes(StandardCharsets.UTF_8)));
        router(Map.of(UPLOADED, List.of(subscriber.url("/"))));

        Outcome outcome = await(router.publish(event("e4"))).get(0);

        assertFalse(outcome.delivered());
        assertEquals(1, outcome.attempts());
        assertTrue(Files.readString(outcome.deadLetter()).contains("no such tenant"), "the function's answer is kept in the reason");
    }

    @Test
    @DisplayName("retries when nothing listens, then dead-letters")
    void retriesConnectionErrors() throws Exception {
        URI nobody = URI.create("http://127.0.0.1:" + ChildProcess.freePort() + "/");
        router(Map.of(UPLOADED, List.of(nobody)));

        Outcome outcome = await(router.publish(event("e5"))).get(0);

        assertFalse(outcome.delivered());
        assertEquals(3, outcome.attempts());
        assertEquals("ConnectException", outcome.lastStatus());
    }

    @Test
    @DisplayName("keeps retrying a subscriber that cannot be reached until it is back (a restart), then delivers")
    void waitsForASubscriberThatIsDown() throws Exception {
        int port = ChildProcess.freePort();
        router = EventRouter.start("127.0.0.1", 0, Map.of(UPLOADED, List.of(URI.create("http://127.0.0.1:" + port + "/"))), deadLetters,
                FAST.withUnreachablePatience(Duration.ofMinutes(2)), Subscriber.SIGNATURE);
        var outcomes = router.publish(event("e-down"));
        Thread.sleep(1000); // long past the 3 attempts (60 ms) after which an answering subscriber's 500s are dead-lettered
        assertFalse(outcomes.isDone(), "still waiting for the subscriber");

        subscriber = new Subscriber(port, got -> Answer.status(202));
        Outcome outcome = outcomes.get(1, TimeUnit.MINUTES).get(0);

        assertTrue(outcome.delivered(), outcome.toString());
        assertEquals("e-down", subscriber.next().event().id());
        try (var files = Files.list(deadLetters)) {
            assertEquals(0, files.count(), "no dead letter");
        }
    }

    @Test
    @DisplayName("replay delivers a dead letter again, and deletes it once delivered")
    void replays() throws Exception {
        subscriber = new Subscriber(got -> Answer.status(422));
        router(Map.of(UPLOADED, List.of(subscriber.url("/"))));
        Path file = await(router.publish(event("e6"))).get(0).deadLetter();
        subscriber.drain();
        subscriber.answer(got -> Answer.status(200));

        Outcome outcome = await(router.replay(file)).get(0);

        assertTrue(outcome.delivered());
        CloudEvent again = subscriber.next().event();
        assertEquals("e6", again.id());
        assertEquals(UPLOADED, again.type());
        assertArrayEquals(event("e6").data(), again.data());
        assertFalse(Files.exists(file), "the replayed dead letter is gone");
    }

    @Test
    @DisplayName("replays a dead letter over HTTP: POST /dead-letters/<file>/replay answers 202 and delivers it")
    void replaysOverHttp() throws Exception {
        subscriber = new Subscriber(got -> Answer.status(400));
        router(Map.of(UPLOADED, List.of(subscriber.url("/"))));
        Path file = await(router.publish(event("e10"))).get(0).deadLetter();
        subscriber.drain();
        subscriber.answer(got -> Answer.status(200));
        HttpClient http = HttpClient.newHttpClient();
        URI replay = router.endpoint().resolve(EventRouter.DEAD_LETTERS_PATH + file.getFileName() + "/replay");

        assertEquals(202, http.send(HttpRequest.newBuilder(replay).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());

        assertEquals("e10", subscriber.next().event().id());
        URI missing = router.endpoint().resolve(EventRouter.DEAD_LETTERS_PATH + "nothing.json/replay");
        assertEquals(404, http.send(HttpRequest.newBuilder(missing).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode());
    }

    /** A POST of the event to the router: binary or structured mode, signed with {@code signature} (none when null). */
    private HttpRequest post(CloudEvent event, boolean structured, EventSignature signature) {
        HttpRequest.Builder post = HttpRequest.newBuilder(router.endpoint());
        byte[][] body = new byte[1][];
        var writer = HttpMessageFactory.createWriter(post::header, bytes -> body[0] = bytes);
        if (structured) writer.writeStructured(event.event(), JsonFormat.CONTENT_TYPE);
        else writer.writeBinary(event.event());
        if (signature != null) post.header(EventSignature.HEADER, signature.sign(event.id(), event.source(), event.type(), event.subject(), body[0]));
        return post.POST(HttpRequest.BodyPublishers.ofByteArray(body[0])).build();
    }

    @Test
    @DisplayName("accepts signed events in binary and in structured mode with 202, and refuses a request that is no event with 400")
    void acceptsOverHttp() throws Exception {
        subscriber = new Subscriber(got -> Answer.status(202));
        router(Map.of(UPLOADED, List.of(subscriber.url("/"))));
        HttpClient http = HttpClient.newHttpClient();

        assertEquals(202, http.send(post(event("e7"), false, Subscriber.SIGNATURE), HttpResponse.BodyHandlers.discarding()).statusCode());
        assertEquals("e7", subscriber.next().event().id());
        HttpRequest structured = post(event("e7s"), true, Subscriber.SIGNATURE);
        assertEquals(JsonFormat.CONTENT_TYPE, structured.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(202, http.send(structured, HttpResponse.BodyHandlers.discarding()).statusCode());
        Subscriber.Received delivered = subscriber.next();
        assertEquals("e7s", delivered.event().id());
        assertEquals("tenants/demo/inbox/song.mid", delivered.event().subject());
        assertEquals("{\"tenant\":\"demo\"}", new String(delivered.event().data(), StandardCharsets.UTF_8), "delivered in binary mode, data as the body");
        assertTrue(delivered.signed());

        HttpRequest notAnEvent = HttpRequest.newBuilder(router.endpoint()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{}")).build();
        HttpResponse<String> refused = http.send(notAnEvent, HttpResponse.BodyHandlers.ofString());
        assertEquals(400, refused.statusCode());
        assertTrue(refused.body().contains("structured mode"), refused.body());
    }

    @Test
    @DisplayName("refuses unsigned and forged events with 401 and delivers, retries and dead-letters none of them")
    void refusesForgedEvents() throws Exception {
        subscriber = new Subscriber(got -> Answer.status(202));
        router(Map.of(UPLOADED, List.of(subscriber.url("/"))));
        HttpClient http = HttpClient.newHttpClient();
        EventSignature guess = new EventSignature("an-attackers-guess-0123456789abcdef012345");
        for (boolean structured : new boolean[]{false, true}) {
            assertEquals(401, http.send(post(event("forged-unsigned"), structured, null), HttpResponse.BodyHandlers.discarding()).statusCode());
            assertEquals(401, http.send(post(event("forged-guess"), structured, guess), HttpResponse.BodyHandlers.discarding()).statusCode());
        }
        HttpRequest genuine = post(event("genuine"), false, Subscriber.SIGNATURE);
        HttpRequest.Builder tampered = HttpRequest.newBuilder(router.endpoint())
                .POST(HttpRequest.BodyPublishers.ofString("{\"tenant\":\"victim\"}"));
        genuine.headers().map().forEach((name, values) -> tampered.header(name, values.get(0)));
        assertEquals(401, http.send(tampered.build(), HttpResponse.BodyHandlers.discarding()).statusCode(), "a signature covers the body");

        assertEquals(202, http.send(genuine, HttpResponse.BodyHandlers.discarding()).statusCode());
        assertEquals("genuine", subscriber.next().event().id(), "the first event delivered is the genuine one");
        assertEquals(List.of(), subscriber.drain());
        try (var letters = Files.list(deadLetters)) {
            assertEquals(0, letters.count(), "no dead letter");
        }
    }

    @Test
    @DisplayName("logs an event nobody subscribes to and delivers it nowhere")
    void noSubscriber() throws Exception {
        router(Map.of());
        assertEquals(List.of(), await(router.publish(event("e8"))));
    }

    @Test
    @DisplayName("on close, writes the deliveries still waiting for a retry as dead letters, so none is lost")
    void closeKeepsUndelivered() throws Exception {
        subscriber = new Subscriber(got -> Answer.status(500));
        router = EventRouter.start("127.0.0.1", 0, Map.of(UPLOADED, List.of(subscriber.url("/"))), deadLetters,
                DeliveryPolicy.DEFAULT.withRetries(5, Duration.ofSeconds(30)), Subscriber.SIGNATURE);
        var outcomes = router.publish(event("e9"));
        subscriber.next(); // the first attempt failed; the retry waits 30 s

        router.close();

        Outcome outcome = await(outcomes).get(0);
        assertFalse(outcome.delivered());
        assertTrue(Files.readString(outcome.deadLetter()).contains("stopped"));
    }
}
