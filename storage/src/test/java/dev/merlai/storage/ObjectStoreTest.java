package dev.merlai.storage;

import dev.merlai.embedded.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Storage against a real S3 server (S3Proxy in its own process). */
class ObjectStoreTest {

    @TempDir
    static Path data;
    private static S3ProxyServer server;
    private static ObjectStore store;

    @BeforeAll
    static void startS3() throws Exception {
        server = S3ProxyServer.start(data, "127.0.0.1", 0, "merlai", "merlai-secret");
        store = new ObjectStore(new S3Settings(server.endpoint(), "us-east-1", "merlai", "merlai-secret", "merlai"));
        store.ensureBucket();
        store.ensureBucket(); // twice is fine
    }

    @AfterAll
    static void stopS3() {
        store.close();
        server.close();
    }

    @Test
    void storesListsAndDeletesObjects() {
        byte[] melody = "MThd...".getBytes(StandardCharsets.UTF_8);
        store.put("tenants/demo/inbox/song.mid", melody, "audio/midi");
        assertArrayEquals(melody, store.get("tenants/demo/inbox/song.mid").orElseThrow());
        assertTrue(store.exists("tenants/demo/inbox/song.mid"));
        assertEquals(List.of("tenants/demo/inbox/song.mid"), store.list("tenants/demo/inbox/"));
        store.delete("tenants/demo/inbox/song.mid");
        assertFalse(store.exists("tenants/demo/inbox/song.mid"));
        assertTrue(store.get("tenants/demo/inbox/song.mid").isEmpty());
    }

    @Test
    void aBoundedReadRefusesAnObjectOverTheLimitAndReadsOneWithin() {
        byte[] kilobyte = new byte[1024];
        store.put("tenants/demo/inbox/kilobyte.mid", kilobyte, "audio/midi", java.util.Map.of("merlai-style", "lied"));
        StoredObject read = store.getAtMost("tenants/demo/inbox/kilobyte.mid", 1024).orElseThrow();
        assertArrayEquals(kilobyte, read.bytes());
        assertEquals(1024, read.head().size());
        assertFalse(read.head().eTag().isEmpty(), "the version read, from the same answer as the bytes");
        assertEquals("lied", read.head().userMetadata().get("merlai-style"));
        ObjectTooLargeException tooLarge = assertThrows(ObjectTooLargeException.class, () -> store.getAtMost("tenants/demo/inbox/kilobyte.mid", 1023));
        assertEquals(1024, tooLarge.size(), "the size the store announced, before reading");
        assertEquals(read.head(), tooLarge.head(), "what the store said of the object refused");
        assertTrue(store.getAtMost("tenants/demo/inbox/none.mid", 1023).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> store.getAtMost("tenants/demo/inbox/kilobyte.mid", Long.MAX_VALUE),
                "a limit no array can hold would cut the read short, not bound it");
    }

    @Test
    void theLongestKeySegmentTenantKeyAcceptsIsStoredAndReadBack() {
        String key = "tenants/demo/inbox/" + "歌".repeat((TenantKey.MAX_SEGMENT_BYTES - 4) / 3) + "x".repeat((TenantKey.MAX_SEGMENT_BYTES - 4) % 3) + ".mid";
        TenantKey.parse(key);
        store.put(key, new byte[] {1}, "audio/midi");
        assertArrayEquals(new byte[] {1}, store.get(key).orElseThrow());
        store.delete(key);
    }

    @Test
    void aConditionalWriteKeepsTheFirstVersion() {
        assertTrue(store.putIfAbsent("system/usage/t/once.json", "first".getBytes(StandardCharsets.UTF_8), "application/json"));
        assertFalse(store.putIfAbsent("system/usage/t/once.json", "second".getBytes(StandardCharsets.UTF_8), "application/json"));
        assertEquals("first", new String(store.get("system/usage/t/once.json").orElseThrow(), StandardCharsets.UTF_8));
    }

    @Test
    void aConditionalWriteThatFindsItsOwnBytesStoredCountsAsWritten() {
        byte[] record = "first".getBytes(StandardCharsets.UTF_8);
        assertTrue(store.putIfAbsent("system/usage/t/retried.json", record, "application/json"));
        assertTrue(store.putIfAbsent("system/usage/t/retried.json", record, "application/json"),
                "a retried request finds its first attempt stored");
    }

    @Test
    void aPresignedLinkFetchesTheObjectWithoutCredentials() throws Exception {
        store.put("tenants/demo/results/j9/pianoroll.png", new byte[]{1, 2, 3}, "image/png");
        java.net.URL url = store.presignGet("tenants/demo/results/j9/pianoroll.png", java.time.Duration.ofMinutes(5));
        try (var in = url.openStream()) {
            assertArrayEquals(new byte[]{1, 2, 3}, in.readAllBytes());
        }
        assertTrue(url.getQuery().contains("X-Amz-Expires=300"));
    }

    @Test
    void keepsJobRecordsWhereTheLayoutSays() {
        JobStore jobs = new JobStore(store);
        JobRecord queued = JobRecord.queued("j1", "demo", "tenants/demo/inbox/a.mid", 7, Instant.parse("2026-01-01T00:00:00Z"));
        jobs.save(queued);
        assertTrue(store.exists("tenants/demo/results/j1/job.json"));
        JobRecord failed = queued.failed("the file is not MIDI", Instant.parse("2026-01-01T00:00:01Z"));
        jobs.save(failed);
        assertEquals(failed, jobs.find("demo", "j1").orElseThrow());
        assertEquals(JobState.FAILED, jobs.find("demo", "j1").orElseThrow().state());
        assertTrue(jobs.find("demo", "nope").isEmpty());
    }

    @Test
    void aRedeliveredEventMapsToTheSameJob() {
        assertEquals(JobStore.jobIdForEvent("/minio", "e-1"), JobStore.jobIdForEvent("/minio", "e-1"));
        assertNotEquals(JobStore.jobIdForEvent("/minio", "e-1"), JobStore.jobIdForEvent("/minio", "e-2"));
        assertNotEquals(JobStore.jobIdForEvent("/a", "e-1"), JobStore.jobIdForEvent("/b", "e-1"));
    }

    @Test
    void theLayoutRefusesPathTricksAndKnowsInboxKeys() {
        assertThrows(IllegalArgumentException.class, () -> StorageLayout.results("../other", "j1"));
        assertThrows(IllegalArgumentException.class, () -> StorageLayout.results("demo", "a/b"));
        assertEquals("demo", StorageLayout.inboxTenant("tenants/demo/inbox/song.MXL"));
        assertNull(StorageLayout.inboxTenant("tenants/demo/inbox/song.txt"));
        assertNull(StorageLayout.inboxTenant("tenants/demo/results/j/job.json"));
    }

    @Test
    void aStoreThatIsDownIsReportedAsUnavailable() {
        try (ObjectStore nowhere = new ObjectStore(new S3Settings(URI.create("http://127.0.0.1:9"), "us-east-1", "k", "s", "merlai"))) {
            assertThrows(StorageUnavailableException.class, () -> nowhere.get("x"));
        }
    }
}
