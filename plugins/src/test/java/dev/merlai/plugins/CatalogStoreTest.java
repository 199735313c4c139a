package dev.merlai.plugins;

import dev.merlai.embedded.S3ProxyServer;
import dev.merlai.storage.ObjectStore;
import dev.merlai.storage.S3Settings;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The catalog in a real S3 server (S3Proxy), changed by two replicas at once: each their own store and client. */
class CatalogStoreTest {

    @TempDir
    static Path data;
    private static S3ProxyServer s3;
    private static ObjectStore replicaA;
    private static ObjectStore replicaB;

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3ProxyServer.start(data, "127.0.0.1", 0, "merlai", "merlai-secret");
        S3Settings settings = new S3Settings(s3.endpoint(), "us-east-1", "merlai", "merlai-secret", "merlai");
        replicaA = new ObjectStore(settings);
        replicaB = new ObjectStore(settings);
        replicaA.ensureBucket();
    }

    @AfterAll
    static void stopS3() {
        replicaA.close();
        replicaB.close();
        s3.close();
    }

    private static PluginEntry plate(String id) throws Exception {
        return CatalogSchema.entry(CatalogSchema.MAPPER.readTree("""
                {"id": "%s", "name": "Plate %s", "vendor": "Merlai tests", "kind": "effect", "formats": ["VST3"], "os": ["linux"],
                 "licence": "free", "priceBand": "free", "categories": ["reverb"], "tags": ["plate"], "registers": [], "articulations": [], "styles": []}
                """.formatted(id, id)));
    }

    @Test
    void twoReplicasChangingTheCatalogAtOnceLoseNoChangeAndEachVersionIsWrittenOnce() throws Exception {
        CatalogStore a = new CatalogStore(replicaA), b = new CatalogStore(replicaB);
        long start = a.current().version();
        int perReplica = 8;
        CountDownLatch go = new CountDownLatch(1);
        List<Callable<List<Long>>> replicas = new ArrayList<>();
        for (CatalogStore replica : List.of(a, b)) {
            String name = replica == a ? "a" : "b";
            replicas.add(() -> {
                go.await();
                List<Long> versions = new ArrayList<>();
                for (int i = 0; i < perReplica; i++) {
                    PluginEntry entry = plate(name + i);
                    versions.add(replica.change(c -> c.with(entry)).version());
                }
                return versions;
            });
        }
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<List<Long>>> results = new ArrayList<>();
            for (Callable<List<Long>> replica : replicas) results.add(pool.submit(replica));
            go.countDown();
            List<Long> versions = new ArrayList<>();
            for (Future<List<Long>> result : results) versions.addAll(result.get());

            assertEquals(2 * perReplica, versions.stream().distinct().count(), "every change made its own version: " + versions);
            for (CatalogStore replica : List.of(a, b)) {
                Catalog current = replica.current();
                assertEquals(start + 2 * perReplica, current.version());
                for (int i = 0; i < perReplica; i++) {
                    assertTrue(current.find("a" + i).isPresent() && current.find("b" + i).isPresent(), "no change is lost: a" + i + ", b" + i);
                }
            }
            for (long v = start; v <= start + 2 * perReplica; v++) assertTrue(replicaA.exists(CatalogStore.versionKey(v)), "version " + v + " is kept");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aStaleLatestCopyIsReadPastAndAChangeCheckedAgainstTheNewestVersion() throws Exception {
        CatalogStore a = new CatalogStore(replicaA), b = new CatalogStore(replicaB);
        Catalog before = a.current();
        byte[] staleCopy = replicaA.get(CatalogStore.KEY).orElseThrow();
        PluginEntry spring = plate("spring");
        Catalog added = a.change(c -> c.with(spring));
        // as if a slower writer of the older version overwrote the copy after the newer one was stored
        replicaA.put(CatalogStore.KEY, staleCopy, "application/json");

        assertEquals(added.version(), b.current().version(), "the reader follows the versions past the copy");
        assertTrue(b.current().find("spring").isPresent());
        assertThrows(IllegalArgumentException.class, () -> b.change(c -> c.with(spring)), "the entry is there by the newest version");
        assertEquals(before.version() + 2, b.change(c -> c.without("spring")).version());
        assertArrayEquals(replicaB.get(CatalogStore.versionKey(before.version() + 2)).orElseThrow(), replicaB.get(CatalogStore.KEY).orElseThrow(),
                "the copy is the newest version again");
    }
}
