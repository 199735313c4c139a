package dev.merlai.local;

import dev.merlai.embedded.LocalSecrets;

import dev.merlai.embedded.RedisServer;

import dev.merlai.embedded.S3ProxyServer;

import dev.merlai.embedded.ChildProcess;

import dev.merlai.events.EventSignature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.merlai.storage.ObjectStore;
import dev.merlai.storage.S3Settings;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;

/**
 * All of Merlai on one machine, as the cluster runs it but without Kubernetes: S3Proxy for MinIO, a Redis, each
 * function as its own process, the {@link EventRouter} for the Knative broker and Triggers, and the
 * {@link InboxWatcher} for MinIO's bucket notifications, and the {@link Gateway} for the ingress: the HTTP port serves
 * the public API of every function and Merlai Studio ({@code /studio/}) from one origin. An upload to {@code tenants/<tenant>/inbox/} therefore runs
 * {@code complete}, then {@code recommend-plugin}, then {@code render-midi}, whose results land under
 * {@code tenants/<tenant>/results/<job>/}; {@code train-trigger} runs personalisation as a local training process (CPU).
 *
 * <p>Started in that order (functions in parallel, each awaited on {@code /q/health/ready}), stopped in reverse by
 * {@link #close()}; if a start fails, what was started is stopped. Once started, each child is supervised
 * ({@link Supervised}): one that dies is started again on its address, with backoff, and a health line says so in this
 * output and in {@code <data>/logs/health.log}; meanwhile the router keeps the events meant for it. For tests:
 * {@code LocalMerlai.start(LocalSettings.ephemeral(home, tempDir))}.
 *
 * <p>Tenants on one machine: S3Proxy has a single identity, the operator's (every tenant's prefix is open to it), so
 * the S3 upload path is the operator's, and an upload is attributed to, and billed to, the tenant whose inbox it
 * lands in; that tenant must exist ({@code merlai tenants create}). Tenants' own access is the HTTP API with their
 * API keys. The admin credential is {@link AdminToken}'s, handed to the functions as {@code MERLAI_ADMIN_TOKEN}; events
 * are signed with {@link EventsSecret}'s, handed to them as {@code MERLAI_EVENTS_SECRET}.
 */
public final class LocalMerlai implements AutoCloseable {

    public static final String COMPLETE = "complete";
    public static final String ACCOUNT = "account";
    public static final String RECOMMEND_PLUGIN = "recommend-plugin";
    public static final String RENDER_MIDI = "render-midi";
    public static final String TRAIN_TRIGGER = "train-trigger";
    public static final String LIVE = "live";
    /** The functions started here, in start order. */
    public static final List<String> FUNCTIONS = List.of(COMPLETE, ACCOUNT, RECOMMEND_PLUGIN, RENDER_MIDI, TRAIN_TRIGGER, LIVE);
    /** The names of the other children, for {@link #pid(String)}. */
    public static final String S3PROXY = "s3proxy";
    public static final String REDIS = "redis";

    /** Files of the data folder, owner-only: the password of the Redis started here, and the key the functions sign cache entries with. */
    public static final String REDIS_PASSWORD_FILE = "redis-password";
    public static final String KEY_CACHE_SECRET_FILE = "key-cache-secret";

    private static final Logger LOG = LoggerFactory.getLogger(LocalMerlai.class);

    private final LocalSettings settings;
    private final Deque<AutoCloseable> started = new ArrayDeque<>();
    private final Map<String, URI> functionUrls = new LinkedHashMap<>();
    /** What {@link #close()} would stop, supervised: S3Proxy, Redis (when started here) and each function, by name. */
    private final Map<String, Supervised> children = new LinkedHashMap<>();
    private URI s3Endpoint;
    private URI redisUrl;
    private String redisPassword;
    private String adminToken;
    private String eventsSecret;
    private static final Duration STORE_TIMEOUT = Duration.ofSeconds(30);
    private ObjectStore store;
    private EventRouter router;
    private Gateway gateway;

    private final Thread shutdownHook = new Thread(this::close, "merlai-local-shutdown");

    private LocalMerlai(LocalSettings settings) {
        this.settings = settings;
    }

    /**
     * Starts everything and returns once every function is ready and the inbox is watched.
     *
     * @throws IOException when a server cannot start (a port taken, a function not built, Redis not installed)
     */
    public static LocalMerlai start(LocalSettings settings) throws IOException {
        return start(settings, (tenant, key, eventId, reason) -> { });
    }

    /**
     * {@link #start(LocalSettings)}, telling {@code refusedUpload} of each upload the inbox watcher cannot hand
     * on (so that it can be recorded as a failed job).
     */
    public static LocalMerlai start(LocalSettings settings, InboxWatcher.RefusedUpload refusedUpload)
            throws IOException {
        LocalMerlai merlai = new LocalMerlai(settings);
        // Registered before anything starts: a TERM while starting must not leave servers running.
        Runtime.getRuntime().addShutdownHook(merlai.shutdownHook);
        try {
            merlai.startAll(refusedUpload);
        } catch (IOException | RuntimeException | Error e) {
            merlai.close();
            throw e;
        }
        return merlai;
    }

    private Supervised supervise(String name, ChildProcess first, Supervised.Starter again, Path healthLog) {
        Supervised child = new Supervised(name, first, again, healthLog);
        started.push(child);
        children.put(name, child);
        return child;
    }

    private void startAll(InboxWatcher.RefusedUpload refusedUpload) throws IOException {
        List<FunctionProcess> processes = new ArrayList<>();
        Map<String, Path> jars = new LinkedHashMap<>();
        for (String function : FUNCTIONS) {
            if (!settings.functionUrls().containsKey(function)) jars.put(function, builtJar(settings.home(), function));
        }
        checkFree(settings.s3Port(), "S3", "--s3-port / MERLAI_S3_PORT");
        if (settings.redisUrl() == null) checkFree(settings.redisPort(), "Redis", "--redis-port / MERLAI_REDIS_PORT, or --redis-url / MERLAI_REDIS_URL");
        checkFree(settings.httpPort(), "the HTTP API and Studio", "--http-port / MERLAI_HTTP_PORT");
        if (jars.containsKey(RECOMMEND_PLUGIN)) checkFree(settings.recommendPort(), RECOMMEND_PLUGIN, "--recommend-port / MERLAI_RECOMMEND_PORT");
        if (jars.containsKey(RENDER_MIDI)) checkFree(settings.renderPort(), RENDER_MIDI, "--render-port / MERLAI_RENDER_PORT");
        if (jars.containsKey(TRAIN_TRIGGER)) checkFree(settings.trainPort(), TRAIN_TRIGGER, "--train-port / MERLAI_TRAIN_PORT");
        checkFree(settings.routerPort(), "the event router", "--router-port / MERLAI_ROUTER_PORT");
        // The ports asked for, and each one chosen below, stay promised: the system may hand a port out again until its
        // server binds it, and a function that took the HTTP port would answer in the gateway's place.
        Set<Integer> promised = new HashSet<>(Stream.of(settings.s3Port(), settings.redisPort(), settings.httpPort(), settings.recommendPort(),
                settings.renderPort(), settings.trainPort(), settings.routerPort()).filter(port -> port != 0).toList());
        // train-trigger sends its training events to the router, so the router's port is fixed before the functions start.
        int routerPort = port(settings.routerPort(), promised);
        Path data = settings.dataDir().toAbsolutePath();
        Path healthLog = data.resolve("logs").resolve("health.log");
        S3ProxyServer s3 = S3ProxyServer.start(data.resolve("s3"), settings.host(), port(settings.s3Port(), promised), settings.accessKey(), settings.secretKey());
        s3Endpoint = s3.endpoint();
        supervise(S3PROXY, s3, () -> S3ProxyServer.start(data.resolve("s3"), settings.host(), s3Endpoint.getPort(), settings.accessKey(),
                settings.secretKey()), healthLog).watch();
        // The functions start beside it and load their models: a call may wait on a busy machine as long as a socket read would.
        store = new ObjectStore(new S3Settings(s3Endpoint, S3ProxyServer.REGION, settings.accessKey(), settings.secretKey(), settings.bucket()),
                STORE_TIMEOUT, STORE_TIMEOUT);
        started.push(store);
        store.ensureBucket();
        LOG.info("S3 on {} (bucket {}, data {})", s3Endpoint, settings.bucket(), data.resolve("s3"));

        if (settings.redisUrl() != null) {
            redisUrl = settings.redisUrl(); // its password, if it has one, goes in the URL (redis://:password@host:port)
        } else {
            redisPassword = LocalSecrets.loadOrCreate(data, REDIS_PASSWORD_FILE, "mrr_");
            RedisServer redis = RedisServer.start(settings.host(), port(settings.redisPort(), promised), null, redisPassword);
            supervise(REDIS, redis, () -> RedisServer.start(settings.host(), redis.port(), null, redisPassword), healthLog).watch();
            redisUrl = redis.url();
        }
        LOG.info("Redis on {}", redisUrl.getHost() + ":" + redisUrl.getPort());

        adminToken = AdminToken.loadOrCreate(data);
        eventsSecret = EventsSecret.loadOrCreate(data);
        Map<String, String> env = new LinkedHashMap<>(Map.of(
                "MERLAI_ADMIN_TOKEN", adminToken,
                "MERLAI_EVENTS_SECRET", eventsSecret,
                "MERLAI_S3_ENDPOINT", s3Endpoint.toString(),
                "MERLAI_S3_ACCESS_KEY", settings.accessKey(),
                "MERLAI_S3_SECRET_KEY", settings.secretKey(),
                "MERLAI_S3_BUCKET", settings.bucket(),
                "MERLAI_S3_REGION", S3ProxyServer.REGION,
                "QUARKUS_REDIS_HOSTS", redisUrl.toString(),
                // where train-trigger sends training events (Knative's SinkBinding sets the same variable), and the training code
                "K_SINK", "http://" + settings.host() + ":" + routerPort + "/",
                "MERLAI_TRAINING_DIR", settings.home().resolve("training").toAbsolutePath().toString()));
        if (redisPassword != null) env.put("QUARKUS_REDIS_PASSWORD", redisPassword);
        // The functions sign what they cache in Redis with this, so an entry planted there authenticates nobody.
        env.put("MERLAI_KEY_CACHE_SECRET", LocalSecrets.loadOrCreate(data, KEY_CACHE_SECRET_FILE, "mrk_"));
        for (String function : FUNCTIONS) {
            URI external = settings.functionUrls().get(function);
            if (external != null) {
                functionUrls.put(function, external);
                LOG.info("{} runs elsewhere: {}", function, external);
                continue;
            }
            int port = port(port(function), promised);
            Path log = data.resolve("logs").resolve(function + ".log");
            Path jar = jars.get(function);
            FunctionProcess process = FunctionProcess.start(function, jar, settings.home(), settings.host(), port, settings.functionHeap(), env, log);
            supervise(function, process, () -> {
                FunctionProcess again = FunctionProcess.start(function, jar, settings.home(), settings.host(), port, settings.functionHeap(), env, log);
                try {
                    again.awaitReady(settings.readyTimeoutMs());
                } catch (IOException e) {
                    again.close();
                    throw e;
                }
                return again;
            }, healthLog);
            processes.add(process);
            functionUrls.put(function, process.url());
        }
        for (FunctionProcess process : processes) {
            long begun = System.nanoTime();
            process.awaitReady(settings.readyTimeoutMs());
            children.get(process.name()).watch();
            LOG.info("{} ready on {} in {} ms (log {}, heap -Xmx{})", process.name(), process.url(), (System.nanoTime() - begun) / 1_000_000,
                    process.log(), settings.functionHeap());
        }

        router = EventRouter.start(settings.host(), routerPort, Triggers.routes(functionUrls), data.resolve("dead-letters"),
                settings.delivery(), new EventSignature(eventsSecret));
        started.push(router);
        gateway = Gateway.start(settings.host(), settings.httpPort(), Gateway.routes(functionUrls, s3Endpoint, settings.bucket()));
        started.push(gateway);
        LOG.info("HTTP API and Studio on {} ({}/studio/)", gateway.endpoint(), gateway.endpoint());
        started.push(new InboxWatcher(store, router.endpoint(), new EventSignature(eventsSecret), refusedUpload)
                .start(settings.pollMillis()));
    }

    /** {@code asked}, or where that is 0 a free port not {@code promised}; either way promised from now on. */
    private static int port(int asked, Set<Integer> promised) {
        int port = asked == 0 ? ChildProcess.freePort(promised) : asked;
        promised.add(port);
        return port;
    }

    /**
     * Fails when a fixed port is taken, before anything starts: a server already there (an earlier {@code merlai serve})
     * could otherwise answer the readiness checks in place of the one started here.
     */
    private void checkFree(int port, String what, String option) throws IOException {
        if (port == 0) return;
        try (ServerSocket socket = new ServerSocket()) {
            socket.bind(new InetSocketAddress(settings.host(), port));
        } catch (IOException taken) {
            throw new IOException("port " + port + " on " + settings.host() + " for " + what + " is in use; choose another with " + option, taken);
        }
    }

    /** Where a function's fast-jar is: {@code <home>/functions/<function>/target/quarkus-app/quarkus-run.jar}. */
    public static Path jar(Path home, String function) {
        checkFunction(function);
        return home.resolve("functions").resolve(function).resolve("target").resolve("quarkus-app").resolve("quarkus-run.jar");
    }

    private static Path builtJar(Path home, String function) throws IOException {
        Path jar = jar(home, function);
        if (!Files.isRegularFile(jar)) {
            throw new IOException("the " + function + " function is not built: " + jar + " is missing (run ./mvnw -B -q -pl functions/"
                    + function + " -am package -DskipTests, or point merlai.home / MERLAI_HOME at the repository root)");
        }
        return jar;
    }

    static void checkFunction(String function) {
        if (!FUNCTIONS.contains(function)) throw new IllegalArgumentException("no function '" + function + "'; there are " + FUNCTIONS);
    }

    /** complete, account and live listen on ports of their own (any free ones): the HTTP port is the {@link Gateway}'s, in front of complete and account; live prints its own ws:// address. */
    private int port(String function) {
        return switch (function) {
            case COMPLETE, ACCOUNT, LIVE -> 0;
            case RECOMMEND_PLUGIN -> settings.recommendPort();
            case RENDER_MIDI -> settings.renderPort();
            default -> settings.trainPort();
        };
    }

    public LocalSettings settings() {
        return settings;
    }

    /** The S3 endpoint, e.g. {@code http://127.0.0.1:9000}. */
    public URI s3Endpoint() {
        return s3Endpoint;
    }

    /**
     * The process id of a child now ({@link #S3PROXY}, {@link #REDIS} or a function): a new one after each restart.
     *
     * @throws IllegalArgumentException for a child not started here
     */
    public long pid(String child) {
        Supervised supervised = children.get(child);
        if (supervised == null) throw new IllegalArgumentException("no child '" + child + "' started here; there are " + children.keySet());
        return supervised.process().pid();
    }

    /** How often a child was restarted after it died. */
    public int restarts(String child) {
        Supervised supervised = children.get(child);
        if (supervised == null) throw new IllegalArgumentException("no child '" + child + "' started here; there are " + children.keySet());
        return supervised.restarts();
    }

    public String bucket() {
        return settings.bucket();
    }

    /** The operator's credential for the functions' {@code /admin} routes (kept in {@code <data>/admin-token}). */
    public String adminToken() {
        return adminToken;
    }

    /** The secret the router, the inbox watcher and the functions sign events with (kept in {@code <data>/events-secret}). */
    public EventSignature eventSignature() {
        return new EventSignature(eventsSecret);
    }

    /** {@code redis://host:port}. */
    public URI redisUrl() {
        return redisUrl;
    }

    /** The password of the Redis started here ({@code <data>/redis-password}); null for a Redis given by URL. */
    public String redisPassword() {
        return redisPassword;
    }

    /** Where to POST events by hand: the router's {@code http://host:port/}. */
    public URI routerUrl() {
        return router.endpoint();
    }

    public EventRouter router() {
        return router;
    }

    /** The public API of every function and Merlai Studio at {@code /studio/}, on one origin: {@code http://127.0.0.1:8080} by default. */
    public URI httpUrl() {
        return gateway.endpoint();
    }

    /** A function's own base URL, e.g. {@code train-trigger -> http://127.0.0.1:8083}; complete's is a free port behind {@link #httpUrl()}. */
    public URI functionUrl(String function) {
        checkFunction(function);
        return functionUrls.get(function);
    }

    /** The functions' base URLs by name, in start order. */
    public Map<String, URI> functionUrls() {
        return Map.copyOf(functionUrls);
    }

    /** The local S3's bucket, with this runner's credentials; it stays open until {@link #close()}. */
    public ObjectStore store() {
        return store;
    }

    /** Stops the watcher, the router (dead-lettering undelivered events), the functions, Redis and S3Proxy, in that order. */
    @Override
    public synchronized void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // called from the hook itself, or the JVM is already stopping
        }
        // children die with a Ctrl-C too: none may be restarted while the rest stop
        children.values().forEach(Supervised::stopSupervising);
        while (!started.isEmpty()) {
            AutoCloseable next = started.pop();
            try {
                next.close();
            } catch (Exception e) {
                LOG.warn("stopping {} failed: {}", next, e.toString());
            }
        }
    }
}
