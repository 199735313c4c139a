package dev.merlai.local;

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
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("InboxWatcher")
class InboxWatcherTest {

    /** The storage layout's inbox rule, restated for the test (merlai-storage cannot be a dependency here). */
    private static final Pattern INBOX = Pattern.compile("tenants/([^/]+)/inbox/[^/]+\\.(?i:mid|midi|mxl|musicxml|xml|json)");
    private static final Function<String, String> INBOX_TENANT = key -> {
        Matcher matcher = INBOX.matcher(key);
        return matcher.matches() ? matcher.group(1) : null;
    };

    @TempDir
    static Path data;
    private static S3ProxyServer s3Server;
    private static S3Client s3;
    private static int buckets;

    private String bucket;
    private Subscriber sink;

    @BeforeAll
    static void startS3() throws IOException {
        s3Server = S3ProxyServer.start(data, "127.0.0.1", 0, "merlai", "merlai-secret");
        s3 = LocalS3.client(s3Server.endpoint(), "merlai", "merlai-secret");
    }

    @AfterAll
    static void stopS3() {
        s3.close();
        s3Server.close();
    }

    @BeforeEach
    void freshBucket() throws IOException {
        bucket = "inbox-test-" + ++buckets;
        LocalS3.ensureBucket(s3, bucket);
        sink = new Subscriber(got -> Answer.status(202));
    }

    @AfterEach
    void stopSink() {
        sink.close();
    }

    private void put(String key, String content) {
        s3.putObject(b -> b.bucket(bucket).key(key), RequestBody.fromString(content));
    }

    private InboxWatcher watcher() {
        return new InboxWatcher(s3, bucket, INBOX_TENANT, sink.url("/"), Subscriber.SIGNATURE);
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
        assertEquals(List.of(), sink.drain());
    }

    @Test
    @DisplayName("gives the same object version the same id after a restart, and a new upload to the key a new one")
    void stableIds() throws Exception {
        put("tenants/demo/inbox/song.mid", "first");
        try (InboxWatcher watcher = watcher()) {
            watcher.poll();
        }
        String first = sink.next().event().id();
        try (InboxWatcher restarted = watcher()) {
            assertEquals(1, restarted.poll(), "a restarted watcher remembers nothing and raises it again");
            assertEquals(first, sink.next().event().id(), "with the same id");
            Thread.sleep(1100); // a later last-modified second, as any real re-upload has
            put("tenants/demo/inbox/song.mid", "second");
            assertEquals(1, restarted.poll());
        }
        assertNotEquals(first, sink.next().event().id());
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
