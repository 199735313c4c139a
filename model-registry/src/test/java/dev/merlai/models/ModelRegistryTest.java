package dev.merlai.models;

import dev.merlai.arranger.ArrangeOptions;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.Scores;
import dev.merlai.platform.http.InvalidRequestException;
import dev.merlai.storage.ObjectStore;
import dev.merlai.storage.StorageLayout;
import dev.merlai.testing.S3ProxyResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The model registry with real models in a real S3Proxy: a tenant's model that is slow to arrive (its download held
 * at a latch) keeps only its own callers waiting, never another tenant's; a cold model is loaded once however many ask.
 * The timeout only stops a registry that deadlocks from hanging the build.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class ModelRegistryTest {

    private static final S3ProxyResource S3 = new S3ProxyResource();
    private static ObjectStore store;
    private final ExecutorService callers = Executors.newCachedThreadPool();

    @BeforeAll
    static void storeTwoTenantsModels() throws Exception {
        S3.start();
        // 17 MB models on a busy machine: more patient than the function's per-call timeouts
        store = new ObjectStore(S3ProxyResource.settings(), Duration.ofMinutes(2), Duration.ofMinutes(1));
        Path shipped = Path.of(System.getProperty("merlai.repo.root", "..")).resolve("models");
        for (String tenant : new String[]{"slow", "quick"}) {
            for (String file : StorageLayout.MODEL_FILES) {
                store.put(StorageLayout.model(tenant, "m-1") + file, Files.readAllBytes(shipped.resolve(file)), "application/octet-stream");
            }
        }
    }

    @AfterAll
    static void stopS3() {
        store.close();
        S3.stop();
    }

    private static ModelSettings settings() {
        return new ModelSettings() {
            public Optional<String> dir() {
                return Optional.empty();
            }

            public int threads() {
                return 1;
            }

            public String device() {
                return "cpu";
            }

            public int tenantCacheSize() {
                return 4;
            }
        };
    }

    /** Downloads from S3Proxy, but tenant {@code slow}'s download first waits until the test lets it go. */
    private static final class HeldDownloads implements ModelRegistry.Fetch {
        final CountDownLatch slowStarted = new CountDownLatch(1);
        final CountDownLatch letSlowGo = new CountDownLatch(1);
        final AtomicInteger slowDownloads = new AtomicInteger();

        @Override
        public Path files(String tenant, String model) throws InvalidRequestException {
            if (tenant.equals("slow")) {
                slowDownloads.incrementAndGet();
                slowStarted.countDown();
                try {
                    letSlowGo.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            return ModelRegistry.download(store, tenant, model);
        }
    }

    private CompletableFuture<ModelRegistry.Lease> acquireElsewhere(ModelRegistry registry, String tenant) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return registry.acquire(tenant, "m-1");
            } catch (InvalidRequestException e) {
                throw new IllegalStateException(e);
            }
        }, callers);
    }

    @Test
    void aTenantsModelLoadsAndArrangesWhileAnotherTenantsModelIsStillDownloading() throws Exception {
        HeldDownloads downloads = new HeldDownloads();
        ModelRegistry registry = new ModelRegistry(settings(), downloads);
        CompletableFuture<ModelRegistry.Lease> slow = acquireElsewhere(registry, "slow");
        downloads.slowStarted.await();

        try (ModelRegistry.Lease quick = registry.acquire("quick", "m-1")) {
            var melody = Scores.read(Path.of(System.getProperty("merlai.repo.root", "..")).resolve("examples/ode-to-joy.json"), ReadOptions.DEFAULT).score();
            var arrangement = quick.arranger().arrange(melody, ArrangeOptions.DEFAULT);
            assertTrue(arrangement.score().tracks().stream().anyMatch(t -> t.role().isAccompaniment() && !t.notes().isEmpty()));
            assertTrue(quick.version().startsWith("quick/m-1:"), quick.version());
        }
        assertFalse(slow.isDone(), "the slow tenant's model is still held at its download");
        assertEquals("loading", registry.states().get("slow/m-1"));
        assertEquals("ready", registry.states().get("quick/m-1"));

        downloads.letSlowGo.countDown();
        try (ModelRegistry.Lease lease = slow.get()) {
            assertTrue(lease.version().startsWith("slow/m-1:"), lease.version());
        }
        assertEquals("ready", registry.states().get("slow/m-1"));
        registry.close(null);
    }

    @Test
    void aColdModelAskedForByManyAtOnceIsDownloadedAndLoadedOnce() throws Exception {
        HeldDownloads downloads = new HeldDownloads();
        ModelRegistry registry = new ModelRegistry(settings(), downloads);
        CompletableFuture<ModelRegistry.Lease> first = acquireElsewhere(registry, "slow");
        downloads.slowStarted.await();
        CompletableFuture<ModelRegistry.Lease> second = acquireElsewhere(registry, "slow");
        CompletableFuture<ModelRegistry.Lease> third = acquireElsewhere(registry, "slow");

        downloads.letSlowGo.countDown();
        try (ModelRegistry.Lease a = first.get(); ModelRegistry.Lease b = second.get(); ModelRegistry.Lease c = third.get()) {
            assertTrue(a.arranger() == b.arranger() && b.arranger() == c.arranger(), "one loaded model shared");
        }
        assertEquals(1, downloads.slowDownloads.get());
        registry.close(null);
    }

    @Test
    void aModelThatIsNotThereIsABadRequestOnModelAndIsNotKept() {
        ModelRegistry registry = new ModelRegistry(settings(), (tenant, model) -> ModelRegistry.download(store, tenant, model));
        InvalidRequestException refused = assertThrows(InvalidRequestException.class, () -> registry.acquire("quick", "m-missing"));
        assertEquals("model", refused.field());
        assertTrue(refused.getMessage().contains("tenant quick has no model m-missing"), refused.getMessage());
        assertFalse(registry.cached().contains("quick/m-missing"));
        registry.close(null);
    }
}
