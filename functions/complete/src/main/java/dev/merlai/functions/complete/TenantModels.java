package dev.merlai.functions.complete;

import dev.merlai.arranger.Arranger;
import dev.merlai.arranger.model.ArrangementModels;
import dev.merlai.platform.http.InvalidRequestException;
import dev.merlai.storage.ObjectStore;
import dev.merlai.storage.StorageLayout;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Tenants' personalised models ({@code tenants/<tenant>/models/<model>/}), loaded on demand and kept in a bounded LRU
 * cache ({@code merlai.models.tenant-cache-size} models), so memory stays within the function's limit however many
 * tenants there are. A model is looked up under the caller's own tenant only: another tenant's model id is simply not
 * there. A model evicted while a completion still uses it is closed when that completion returns it.
 */
@ApplicationScoped
public class TenantModels {

    private static final Logger LOG = Logger.getLogger(TenantModels.class);

    @Inject
    ObjectStore store;

    @ConfigProperty(name = "merlai.models.tenant-cache-size", defaultValue = "4")
    int capacity;

    @ConfigProperty(name = "merlai.models.threads")
    int threads;

    @ConfigProperty(name = "merlai.models.device", defaultValue = "cpu")
    String device;

    private final LinkedHashMap<String, Loaded> cache = new LinkedHashMap<>(16, 0.75f, true);

    /** A personalised model in use by one completion; {@link #close()} gives it back. */
    public final class Lease implements AutoCloseable {
        private final Loaded loaded;

        private Lease(Loaded loaded) {
            this.loaded = loaded;
        }

        public Arranger arranger() {
            return loaded.arranger;
        }

        /** {@code <tenant>/<model>:<versions>}: results and cache entries of different tenants' models never mix. */
        public String version() {
            return loaded.key + ":" + loaded.models.version();
        }

        @Override
        public void close() {
            synchronized (TenantModels.this) {
                loaded.users--;
                if (loaded.evicted && loaded.users == 0) loaded.close();
            }
        }
    }

    private static final class Loaded {
        final String key;
        final ArrangementModels models;
        final Arranger arranger;
        final Path dir;
        int users;
        boolean evicted;

        Loaded(String key, ArrangementModels models, Path dir) {
            this.key = key;
            this.models = models;
            this.arranger = new Arranger(models);
            this.dir = dir;
        }

        void close() {
            models.close();
            deleteQuietly(dir);
        }
    }

    /**
     * The tenant's model, loaded if it is not in the cache.
     *
     * @throws InvalidRequestException the tenant has no such (finished) model: a 400 on {@code model}
     */
    public synchronized Lease acquire(String tenant, String model) throws InvalidRequestException {
        String prefix;
        try {
            prefix = StorageLayout.model(tenant, model);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("model", e.getMessage());
        }
        String key = tenant + "/" + model;
        Loaded loaded = cache.get(key);
        if (loaded == null) {
            loaded = load(key, prefix, tenant, model);
            cache.put(key, loaded);
            evictBeyondCapacity();
        }
        loaded.users++;
        return new Lease(loaded);
    }

    private Loaded load(String key, String prefix, String tenant, String model) throws InvalidRequestException {
        long started = System.nanoTime();
        Path dir;
        try {
            dir = Files.createTempDirectory("merlai-model-");
        } catch (IOException e) {
            throw new IllegalStateException("no temporary folder for model " + key, e);
        }
        try {
            for (String file : StorageLayout.MODEL_FILES) {
                byte[] bytes = store.get(prefix + file).orElse(null);
                if (bytes == null) {
                    throw new InvalidRequestException("model", "tenant " + tenant + " has no model " + model + " (or its training has not finished)");
                }
                Files.write(dir.resolve(file), bytes);
            }
            ArrangementModels models = ArrangementModels.load(dir, threads, "gpu".equalsIgnoreCase(device.strip()));
            LOG.infof("model %s (%s) loaded in %d ms", key, models.version(), (System.nanoTime() - started) / 1_000_000);
            return new Loaded(key, models, dir);
        } catch (InvalidRequestException e) {
            deleteQuietly(dir);
            throw e;
        } catch (IOException | RuntimeException e) {
            deleteQuietly(dir);
            throw new IllegalStateException("model " + key + " cannot be loaded: " + e.getMessage(), e);
        }
    }

    private void evictBeyondCapacity() {
        Iterator<Map.Entry<String, Loaded>> eldest = cache.entrySet().iterator();
        while (cache.size() > Math.max(1, capacity) && eldest.hasNext()) {
            Loaded out = eldest.next().getValue();
            eldest.remove();
            out.evicted = true;
            if (out.users == 0) out.close();
            LOG.infof("model %s evicted from the cache", out.key);
        }
    }

    /** The keys ({@code tenant/model}) of the models held now, least recently used first. */
    public synchronized java.util.List<String> cached() {
        return java.util.List.copyOf(cache.keySet());
    }

    synchronized void close(@Observes ShutdownEvent event) {
        cache.values().forEach(Loaded::close);
        cache.clear();
    }

    private static void deleteQuietly(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
