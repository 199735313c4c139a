package dev.merlai.models;

import dev.merlai.arranger.Arranger;
import dev.merlai.arranger.model.ArrangementModels;
import dev.merlai.platform.http.InvalidRequestException;
import dev.merlai.storage.ObjectStore;
import dev.merlai.storage.StorageLayout;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.ShutdownEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.interceptor.Interceptor;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;

/**
 * Every model the function arranges with: the base models (loaded at start-up) and the tenants' personalised models
 * ({@code tenants/<tenant>/models/<model>/}, loaded on demand and kept in a bounded LRU cache of
 * {@code merlai.models.tenant-cache-size}, so memory stays within the function's limit however many tenants there are).
 * Each model loads once, under no lock the others need: a cold personal model (an S3 download and an ONNX load) keeps
 * only its own callers waiting. A model is looked up under the caller's own tenant only: another tenant's model id is
 * simply not there. A model evicted while a completion still uses it is closed when that completion returns it.
 */
@ApplicationScoped
public class ModelRegistry {

    private static final Logger LOG = Logger.getLogger(ModelRegistry.class);
    /** The name of the base models in {@link #states()}. */
    public static final String BASE = "base";

    /** Fetches a tenant's model files into a new local folder; a model that is not there is a 400 on {@code model}. */
    interface Fetch {
        Path files(String tenant, String model) throws InvalidRequestException;
    }

    private ModelSettings settings;
    private Fetch fetch;
    private final Model base = new Model(BASE);
    /** The personal models by {@code tenant/model}, least recently used first; guarded by {@code this}, never during a load. */
    private final LinkedHashMap<String, Model> personal = new LinkedHashMap<>(16, 0.75f, true);

    @Inject
    ModelRegistry(ModelSettings settings, ObjectStore store) {
        this(settings, (tenant, model) -> download(store, tenant, model));
    }

    ModelRegistry(ModelSettings settings, Fetch fetch) {
        this.settings = settings;
        this.fetch = fetch;
    }

    /** A loaded model's arranger and the version recorded with its results. */
    private record Loaded(ArrangementModels models, Arranger arranger, String version, Path dir) {
        void close() {
            models.close();
            if (dir != null) deleteQuietly(dir);
        }
    }

    private interface Loader {
        Loaded load() throws InvalidRequestException;
    }

    /**
     * One model (base or personal), as a model server sees it: {@link #load} loads it once on the first caller's thread,
     * later callers wait for that load and share its result or failure; {@link #ready()} once it has loaded.
     */
    private static final class Model {
        final String name;
        private final AtomicBoolean started = new AtomicBoolean();
        private final CompletableFuture<Loaded> loaded = new CompletableFuture<>();
        /** Completions using it now, and whether the cache has let it go; guarded by the registry. */
        int users;
        boolean evicted;

        Model(String name) {
            this.name = name;
        }

        Loaded load(Loader loader) throws InvalidRequestException {
            if (started.compareAndSet(false, true)) {
                try {
                    loaded.complete(loader.load());
                } catch (InvalidRequestException | RuntimeException e) {
                    loaded.completeExceptionally(e);
                }
            }
            try {
                return loaded.join();
            } catch (CompletionException e) {
                if (e.getCause() instanceof InvalidRequestException refused) throw refused;
                if (e.getCause() instanceof RuntimeException failed) throw failed;
                throw e;
            }
        }

        boolean ready() {
            return loaded.isDone() && !loaded.isCompletedExceptionally();
        }

        /** {@code ready}, {@code loading}, {@code failed: <why>}, or {@code not loaded}. */
        String state() {
            if (!started.get()) return "not loaded";
            if (!loaded.isDone()) return "loading";
            return loaded.handle((model, failure) -> failure == null ? "ready" : "failed: " + failure.getMessage()).join();
        }

        void closeIfLoaded() {
            if (ready()) loaded.join().close();
        }
    }

    /** A model in use by one completion; {@link #close()} gives it back. */
    public final class Lease implements AutoCloseable {
        private final Model model;
        private final Loaded loaded;

        private Lease(Model model, Loaded loaded) {
            this.model = model;
            this.loaded = loaded;
        }

        public Arranger arranger() {
            return loaded.arranger();
        }

        /** The models themselves, for an arranger of one's own (a batch's, {@link dev.merlai.arranger.BatchArranger}). */
        public ArrangementModels models() {
            return loaded.models();
        }

        /** The models' versions; for a personal model {@code <tenant>/<model>:<versions>}, so results of different tenants' models never mix. */
        public String version() {
            return loaded.version();
        }

        @Override
        public void close() {
            if (model == base) return;
            synchronized (ModelRegistry.this) {
                model.users--;
                if (model.evicted && model.users == 0) model.closeIfLoaded();
            }
        }
    }

    /**
     * Starts loading the base models as soon as the bean container is up, on a thread of their own, so that ONNX Runtime
     * builds its sessions while Quarkus sets up the rest and opens the port (a cold start pays the longer of the two, not
     * their sum). Readiness waits for them; a request that comes first waits in {@link #acquire}. Base models that cannot
     * load stop the function, as a failed start would. (The container comes up once per start; the functions are not
     * built as native images, whose container would come up while the image is built.)
     */
    void loadBase(@Observes @Initialized(ApplicationScoped.class) Object containerStarted) {
        Thread loader = new Thread(() -> {
            try {
                base();
            } catch (RuntimeException e) {
                LOG.error("the base models cannot be loaded: the function stops", e);
                Quarkus.asyncExit(1);
            }
        }, "merlai-base-models");
        loader.setDaemon(true);
        loader.start();
    }

    /** The base models, loaded by the first caller (the start-up loader). */
    private Loaded base() {
        try {
            return base.load(this::loadBaseModels);
        } catch (InvalidRequestException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    private Loaded loadBaseModels() {
        long started = System.nanoTime();
        try {
            ArrangementModels models = ArrangementModels.load(settings.dir(), settings.threads(), settings.gpu());
            LOG.infof("models %s loaded on %s in %d ms", models.version(), settings.device(), (System.nanoTime() - started) / 1_000_000);
            return new Loaded(models, new Arranger(models), models.version(), null);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the arrangement models", e);
        }
    }

    /**
     * The models a completion arranges with: the base models when {@code model} is null, else the tenant's own model,
     * loaded if it is not in the cache (waiting only for that model's load, if another completion started it).
     *
     * @throws InvalidRequestException the tenant has no such (finished) model: a 400 on {@code model}
     */
    public Lease acquire(String tenant, String model) throws InvalidRequestException {
        if (model == null) return new Lease(base, base());
        try {
            StorageLayout.model(tenant, model);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("model", e.getMessage());
        }
        String key = tenant + "/" + model;
        Model entry;
        synchronized (this) {
            entry = personal.computeIfAbsent(key, Model::new);
            entry.users++;
        }
        Loaded loaded;
        try {
            loaded = entry.load(() -> loadPersonal(key, tenant, model));
        } catch (InvalidRequestException | RuntimeException e) {
            synchronized (this) {
                entry.users--;
                personal.remove(key, entry); // the next request tries again (a model whose training has since finished)
            }
            throw e;
        }
        synchronized (this) {
            evictBeyondCapacity();
        }
        return new Lease(entry, loaded);
    }

    private Loaded loadPersonal(String key, String tenant, String model) throws InvalidRequestException {
        long started = System.nanoTime();
        Path dir = fetch.files(tenant, model);
        try {
            ArrangementModels models = ArrangementModels.load(dir, settings.threads(), settings.gpu());
            LOG.infof("model %s (%s) loaded in %d ms", key, models.version(), (System.nanoTime() - started) / 1_000_000);
            return new Loaded(models, new Arranger(models), key + ":" + models.version(), dir);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(dir);
            throw new IllegalStateException("model " + key + " cannot be loaded: " + e.getMessage(), e);
        }
    }

    /** Downloads a tenant's model files from the object store into a new temporary folder. */
    static Path download(ObjectStore store, String tenant, String model) throws InvalidRequestException {
        Path dir;
        try {
            dir = Files.createTempDirectory("merlai-model-");
        } catch (IOException e) {
            throw new IllegalStateException("no temporary folder for model " + tenant + "/" + model, e);
        }
        try {
            for (String file : StorageLayout.MODEL_FILES) {
                byte[] bytes = store.get(StorageLayout.model(tenant, model) + file).orElse(null);
                if (bytes == null) {
                    throw new InvalidRequestException("model", "tenant " + tenant + " has no model " + model + " (or its training has not finished)");
                }
                Files.write(dir.resolve(file), bytes);
            }
            return dir;
        } catch (InvalidRequestException e) {
            deleteQuietly(dir);
            throw e;
        } catch (IOException | RuntimeException e) {
            deleteQuietly(dir);
            throw new IllegalStateException("model " + tenant + "/" + model + " cannot be read: " + e.getMessage(), e);
        }
    }

    private void evictBeyondCapacity() {
        Iterator<Map.Entry<String, Model>> eldest = personal.entrySet().iterator();
        while (personal.size() > Math.max(1, settings.tenantCacheSize()) && eldest.hasNext()) {
            Model out = eldest.next().getValue();
            eldest.remove();
            out.evicted = true;
            if (out.users == 0) out.closeIfLoaded();
            LOG.infof("model %s evicted from the cache", out.name);
        }
    }

    /** Each model's state ({@code ready}, {@code loading}, {@code failed: ...}): the base models first, then the personal ones held now. */
    public synchronized Map<String, String> states() {
        Map<String, String> states = new LinkedHashMap<>();
        states.put(BASE, base.state());
        personal.forEach((key, model) -> states.put(key, model.state()));
        return states;
    }

    /** Ready to answer: the base models have loaded (a personal model loads on its first request). */
    public boolean ready() {
        return base.ready();
    }

    /** The base models' version, empty until they have loaded. */
    public String version() {
        return base.ready() ? base.loaded.join().version() : "";
    }

    /** The keys ({@code tenant/model}) of the personal models held now, least recently used first. */
    public synchronized List<String> cached() {
        return List.copyOf(personal.keySet());
    }

    /** Last of the shutdown observers (the highest priority number): whatever still plans with the models stops first. */
    synchronized void close(@Observes @Priority(Interceptor.Priority.LIBRARY_AFTER) ShutdownEvent event) {
        base.closeIfLoaded();
        personal.values().forEach(Model::closeIfLoaded);
        personal.clear();
    }

    private static void deleteQuietly(Path folder) {
        try (Stream<Path> files = Files.walk(folder)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // a temp folder left behind is harmless
        }
    }
}
