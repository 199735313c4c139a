package dev.merlai.local;

import dev.merlai.events.CloudEvent;

import dev.merlai.embedded.S3ProxyServer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merlai.events.EventTypes;
import dev.merlai.local.Subscriber.Answer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.merlai.storage.ObjectStore;
import dev.merlai.storage.S3Settings;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("InboxWatcher")
class InboxWatcherTest {

    @TempDir
    static Path data;
    private static S3ProxyServer s3Server;
    private static int buckets;

    private ObjectStore store;
    private Subscriber sink;

    @BeforeAll
    static void startS3() throws IOException {
        s3Server = S3ProxyServer.start(data, "127.0.0.1", 0, "merlai", "merlai-secret");
    }

    @AfterAll
    static void stopS3() {
        s3Server.close();
    }

    @BeforeEach
    void freshBucket() throws IOException {
        store = new ObjectStore(new S3Settings(s3Server.endpoint(), S3ProxyServer.REGION, "merlai", "merlai-secret", "inbox-test-" + ++buckets));
        store.ensureBucket();
        sink = new Subscriber(got -> Answer.status(202));
    }

    @AfterEach
    void stopSink() {
        sink.close();
        store.close();
    }

    private void put(String key, String content) {
        store.put(key, content.getBytes(StandardCharsets.UTF_8), "audio/midi");
    }

    private InboxWatcher watcher() {
        return new InboxWatcher(store, sink.url("/"), Subscriber.SIGNATURE, (tenant, key, eventId, reason) -> { });
    }

    @Test
    @DisplayName("raises one melody.uploaded per upload, with the tenant and key, and none again on the next poll")
    void oneEventPerUpload() throws Exception {
        put("tenants/demo/inbox/song.mid", "MThd");
        try (InboxWatcher watcher = watcher()) {
            assertEquals(1, watcher.poll());
            assertEquals(0, watcher.poll(), "nothing new");
        }
        Subscriber.Received received = sink.next();
        assertTrue(received.signed(), "signed with the events secret");
        CloudEvent event = received.event();
        assertEquals(EventTypes.MELODY_UPLOADED, event.type());
        assertEquals(InboxWatcher.SOURCE, event.source());
        assertEquals("tenants/demo/inbox/song.mid", event.subject());
        assertEquals("application/json", event.contentType());
        JsonNode body = new ObjectMapper().readTree(event.data());
        assertEquals("demo", body.get("tenant").asText());
        assertEquals("tenants/demo/inbox/song.mid", body.get("key").asText());
        assertEquals(2, body.size(), "only the tenant and the key (CompletionRequest.upload): the upload's options travel as its metadata; " + body);
        assertEquals(List.of(), sink.drain());
    }

    @Test
    @DisplayName("remembers across a restart what it handed on, and raises a new upload to the same key with a new id")
    void remembersAcrossRestarts() throws Exception {
        put("tenants/demo/inbox/song.mid", "first");
        try (InboxWatcher watcher = watcher()) {
            watcher.poll();
        }
        String first = sink.next().event().id();
        try (InboxWatcher restarted = watcher()) {
            assertEquals(0, restarted.poll(), "a restarted watcher does not raise the same version again");
            Thread.sleep(1100); // a later last-modified second, as any real re-upload has
            put("tenants/demo/inbox/song.mid", "second");
            assertEquals(1, restarted.poll());
        }
        assertNotEquals(first, sink.next().event().id());
        assertEquals(List.of(), sink.drain());
        assertEquals(1, store.list(InboxWatcher.MARKERS).size(), "the first version's marker went with it");
    }

    @Test
    @DisplayName("hands on an upload named with emoji and CJK, its key intact in the subject and the data")
    void unicodeNames() throws Exception {
        String key = "tenants/demo/inbox/\u2713 \uD83C\uDFB5 \u591C\u66F2 100%.mid";
        put(key, "MThd");
        try (InboxWatcher watcher = watcher()) {
            assertEquals(1, watcher.poll());
        }
        CloudEvent event = sink.next().event();
        assertEquals(key, event.subject());
        assertEquals(key, new ObjectMapper().readTree(event.data()).get("key").asText());
    }

    @Test
    @DisplayName("skips and reports an upload the sink refuses as bad, hands on the others, and does not raise it again")
    void skipsRefusedUploads() throws Exception {
        sink.answer(got -> Answer.status(got.event().subject().contains("bad") ? 400 : 202));
        put("tenants/demo/inbox/a-bad.mid", "MThd");
        put("tenants/demo/inbox/b-good.mid", "MThd");
        List<String> reported = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (InboxWatcher watcher = new InboxWatcher(store, sink.url("/"), Subscriber.SIGNATURE,
                (tenant, key, eventId, reason) -> reported.add(tenant + " " + key + " " + reason))) {
            assertEquals(1, watcher.poll(), "the upload listed after the refused one is handed on");
            assertEquals(0, watcher.poll(), "the refused one is not raised again");
        }
        assertEquals(1, reported.size(), reported.toString());
        assertTrue(reported.get(0).startsWith("demo tenants/demo/inbox/a-bad.mid ") && reported.get(0).contains("400"), reported.get(0));
        assertEquals(2, sink.drain().size());
    }

    @Test
    @DisplayName("raises nothing for keys that are no melody upload")
    void ignoresOtherKeys() {
        put("tenants/demo/inbox/notes.txt", "not a melody");
        put("tenants/demo/results/j1/job.json", "{}");
        put("tenants/demo/inbox/deeper/song.mid", "not in the inbox itself");
        put("elsewhere/song.mid", "not a tenant's");
        try (InboxWatcher watcher = watcher()) {
            assertEquals(0, watcher.poll());
        }
        assertEquals(List.of(), sink.drain());
    }

    @Test
    @DisplayName("raises an upload again on the next poll when the sink did not take it")
    void retriesRefusedEvents() throws Exception {
        sink.answer(got -> Answer.status(503));
        put("tenants/acme/inbox/tune.musicxml", "<score-partwise/>");
        try (InboxWatcher watcher = watcher()) {
            assertEquals(0, watcher.poll());
            sink.answer(got -> Answer.status(202));
            assertEquals(1, watcher.poll());
        }
        assertEquals(sink.next().event().id(), sink.next().event().id(), "the same event both times");
    }

    @Test
    @DisplayName("once started, polls by itself")
    void pollsOnItsOwn() throws Exception {
        try (InboxWatcher watcher = watcher().start(50)) {
            put("tenants/demo/inbox/later.json", "{}");
            assertEquals("tenants/demo/inbox/later.json", sink.next().event().subject());
        }
    }
}
