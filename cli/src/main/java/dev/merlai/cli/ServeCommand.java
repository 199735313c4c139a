package dev.merlai.cli;

import dev.merlai.local.AdminToken;
import dev.merlai.local.EventRouter;
import dev.merlai.local.EventsSecret;
import dev.merlai.local.InboxWatcher;
import dev.merlai.local.LocalMerlai;
import dev.merlai.local.LocalSettings;
import dev.merlai.embedded.S3ProxyServer;
import dev.merlai.storage.JobRecord;
import dev.merlai.storage.JobStore;
import dev.merlai.storage.ObjectStore;
import dev.merlai.storage.S3Settings;
import dev.merlai.storage.StorageLayout;
import dev.merlai.tenancy.TenantRegistry;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

@Command(name = "serve", mixinStandardHelpOptions = true,
        description = {"Runs Merlai on this machine until Ctrl-C: S3 (S3Proxy), Redis, the complete, account, recommend-plugin, render-midi and "
                + "train-trigger functions as their own processes (training runs as a local CPU process), an event router in place of "
                + "the Knative broker, and a watcher that raises an event for each upload to tenants/<tenant>/inbox/.",
                "Ports: the HTTP API of every function and Merlai Studio (/studio/) on one origin 8080, render-midi 8081, recommend-plugin (the plugin API) 8082, train-trigger "
                        + "(the training API) 8083, event router 8090 (POST CloudEvents to /), S3 9000, Redis 6379.",
                "Every option falls back to an environment variable (MERLAI_DATA, MERLAI_S3_PORT, MERLAI_HTTP_PORT, MERLAI_RENDER_PORT, "
                        + "MERLAI_RECOMMEND_PORT, MERLAI_TRAIN_PORT, MERLAI_ROUTER_PORT, MERLAI_REDIS_URL, MERLAI_REDIS_PORT, MERLAI_S3_ACCESS_KEY, "
                        + "MERLAI_S3_SECRET_KEY, MERLAI_S3_BUCKET, MERLAI_HOST, MERLAI_POLL_MS, MERLAI_FUNCTION_HEAP, MERLAI_COMPLETE_URL, MERLAI_RENDER_MIDI_URL, "
                        + "MERLAI_RECOMMEND_PLUGIN_URL, MERLAI_TRAIN_TRIGGER_URL, MERLAI_ACCOUNT_URL), then to the default. The admin credential "
                        + "(<data>/admin-token) is every function's /admin credential: tenants on account, the plugin catalog on recommend-plugin.",
                "A child that dies (S3Proxy, Redis, a function) is started again with backoff; a health line says so here and in "
                        + "<data>/logs/health.log, and the router keeps the events meant for it meanwhile.",
                "The functions must be built: ./mvnw -B -q -pl functions/complete,functions/account,functions/recommend-plugin,functions/render-midi,"
                        + "functions/train-trigger -am package -DskipTests"},
        exitCodeListHeading = Merlai.EXIT_HEADING, exitCodeList = {Merlai.EXIT_OK, Merlai.EXIT_BAD_INPUT, Merlai.EXIT_UNAVAILABLE, Merlai.EXIT_INTERNAL},
        footer = {"", "Example: merlai serve --data /tmp/merlai --tenant demo"})
final class ServeCommand implements Callable<Integer> {

    /** Exit code when a server cannot start (a port taken, a function not built): sysexits' EX_UNAVAILABLE. */
    static final int UNAVAILABLE = 69;
    private static final String LOCAL_LOG_LEVEL = "org.slf4j.simpleLogger.log.dev.merlai.local";

    @Option(names = "--data", paramLabel = "DIR", description = "where the bucket, the functions' logs and the dead letters live (default <repository>/.merlai)")
    Path data;

    @Option(names = "--home", paramLabel = "DIR", description = "the repository root, where the functions are built (default: merlai.home, MERLAI_HOME, the one this command was built in, or the working directory)")
    Path home;

    @Option(names = "--s3-port", paramLabel = "PORT", description = "S3Proxy's port (default 9000; 0 = any free port)")
    Integer s3Port;

    @Option(names = "--http-port", paramLabel = "PORT", description = "the HTTP API and Merlai Studio (the gateway in front of every function; default 8080)")
    Integer httpPort;

    @Option(names = "--render-port", paramLabel = "PORT", description = "the render-midi function's port (default 8081)")
    Integer renderPort;

    @Option(names = "--recommend-port", paramLabel = "PORT", description = "the recommend-plugin function's port, the plugin API (default 8082)")
    Integer recommendPort;

    @Option(names = "--train-port", paramLabel = "PORT", description = "the train-trigger function's port: the training API (default 8083)")
    Integer trainPort;

    @Option(names = "--router-port", paramLabel = "PORT", description = "the event router's port (default 8090)")
    Integer routerPort;

    @Option(names = "--redis-url", paramLabel = "URL", description = "use this running Redis (redis://host:port) instead of starting one")
    URI redisUrl;

    @Option(names = "--redis-port", paramLabel = "PORT", description = "the port of the Redis started here (default 6379)")
    Integer redisPort;

    @Option(names = "--tenant", paramLabel = "TENANT", defaultValue = "demo", description = "the tenant in the printed upload example (default ${DEFAULT-VALUE}); every tenant's inbox is watched")
    String tenant;

    @Option(names = "--access-key", paramLabel = "KEY", description = "the S3 access key (default merlai)")
    String accessKey;

    @Option(names = "--secret-key", paramLabel = "SECRET", description = "the S3 secret key (default merlai-secret)")
    String secretKey;

    @Option(names = "--poll-ms", paramLabel = "MS", description = "how often the inbox is listed, in ms (default 1000)")
    Long pollMillis;

    @Option(names = "--function-heap", paramLabel = "SIZE", description = "each function's heap limit, as -Xmx takes it (default "
            + LocalSettings.DEFAULT_FUNCTION_HEAP + ")")
    String functionHeap;

    @Override
    public Integer call() throws InterruptedException {
        // the command's other output stays quiet (simplelogger.properties); a server logs what it does, one line a delivery
        if (System.getProperty(LOCAL_LOG_LEVEL) == null) System.setProperty(LOCAL_LOG_LEVEL, "info");
        LocalSettings settings;
        try {
            StorageLayout.checkName("tenant", tenant);
            settings = settings();
        } catch (IllegalArgumentException e) {
            return InputFailure.report("serve", e.getMessage());
        }
        LocalMerlai merlai;
        AtomicReference<ObjectStore> store = new AtomicReference<>();
        try {
            merlai = LocalMerlai.start(settings, (tenant, key, eventId, reason) -> {
                if (store.get() != null) failedUpload(store.get(), tenant, key, eventId, reason);
            });
        } catch (IOException | RuntimeException e) {
            System.err.println("merlai serve: " + e.getMessage());
            return UNAVAILABLE;
        }
        store.set(merlai.store());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.err.println("merlai serve: stopping");
            merlai.close();
            stopped.countDown();
        }, "merlai-serve-shutdown"));
        print(merlai, System.out);
        stopped.await();
        return 0;
    }

    /** The environment's settings, then this command's options over them. */
    private LocalSettings settings() {
        LocalSettings env = LocalSettings.fromEnvironment(System.getenv(), home != null ? home.toAbsolutePath() : defaultHome());
        LocalSettings settings = env.withPorts(
                s3Port != null ? s3Port : env.s3Port(),
                redisPort != null ? redisPort : env.redisPort(),
                httpPort != null ? httpPort : env.httpPort(),
                renderPort != null ? renderPort : env.renderPort(),
                recommendPort != null ? recommendPort : env.recommendPort(),
                routerPort != null ? routerPort : env.routerPort());
        if (trainPort != null) settings = settings.withTrainPort(trainPort);
        if (data != null) settings = settings.withDataDir(data.toAbsolutePath());
        if (redisUrl != null) settings = settings.withRedisUrl(redisUrl);
        if (accessKey != null || secretKey != null) {
            settings = settings.withCredentials(accessKey != null ? accessKey : env.accessKey(), secretKey != null ? secretKey : env.secretKey());
        }
        if (pollMillis != null) settings = settings.withPollMillis(pollMillis);
        if (functionHeap != null) settings = settings.withFunctionHeap(functionHeap);
        return settings;
    }

    /**
     * Records an upload the inbox watcher could not hand on as the tenant's failed job (the job its event would have
     * made), so the tenant sees why; an upload to the inbox of no tenant is only logged.
     */
    static void failedUpload(ObjectStore store, String tenant, String key, String eventId, String reason) {
        if (!store.exists(TenantRegistry.TENANTS + tenant + ".json")) return;
        JobStore jobs = new JobStore(store);
        String job = JobStore.jobIdForEvent(InboxWatcher.SOURCE, eventId);
        if (jobs.find(tenant, job).isPresent()) return;
        Instant now = Instant.now();
        jobs.save(JobRecord.queued(job, tenant, key, 0, now).failed("the upload was not processed: " + reason, now));
    }

    private void print(LocalMerlai merlai, PrintStream out) {
        LocalSettings settings = merlai.settings();
        URI s3 = merlai.s3Endpoint();
        Path data = settings.dataDir().toAbsolutePath();
        String secret = settings.secretKey().equals(LocalSettings.DEFAULT_SECRET_KEY) ? settings.secretKey() : "<your secret key>";
        out.println();
        out.println("Merlai is running; Ctrl-C stops it.");
        out.printf("  Merlai Studio        %s/studio/%n", merlai.httpUrl());
        out.printf("  HTTP API             %s   (every function's /v1 API by path, as the cluster's ingress routes them)%n", merlai.httpUrl());
        out.printf("  HTTP API (complete)  %s   (complete itself, behind the HTTP API)%n", merlai.functionUrl(LocalMerlai.COMPLETE));
        out.printf("  account API          %s   (account: /v1/usage, /v1/invoice; /admin/tenants, /admin/usage)%n", merlai.functionUrl(LocalMerlai.ACCOUNT));
        out.printf("  plugins API          %s   (recommend-plugin: /v1/plugins, /v1/plugin-preferences, /v1/plugin-feedback; /admin/plugins)%n",
                merlai.functionUrl(LocalMerlai.RECOMMEND_PLUGIN));
        out.printf("  render-midi          %s%n", merlai.functionUrl(LocalMerlai.RENDER_MIDI));
        out.printf("  training API         %s   (train-trigger: POST /v1/training, GET /v1/models)%n", merlai.functionUrl(LocalMerlai.TRAIN_TRIGGER));
        out.printf("  live API             %s   (WebSocket GET /v1/live: merlai live --replay IN -o OUT.mid --url %s)%n",
                merlai.functionUrl(LocalMerlai.LIVE).toString().replaceFirst("^http", "ws"), merlai.functionUrl(LocalMerlai.LIVE).toString().replaceFirst("^http", "ws"));
        out.printf("  event router         %s   (POST CloudEvents, binary or structured mode, signed with %s)%n", merlai.routerUrl(),
                data.resolve(EventsSecret.FILE));
        out.printf("  S3                   %s   bucket %s, access key %s%n", s3, settings.bucket(), settings.accessKey());
        out.printf("  Redis                %s%n", merlai.redisUrl());
        out.printf("  data                 %s   (s3/, logs/, dead-letters/)%n", data);
        out.printf("  admin token          %s   (for /admin and merlai tenants ...)%n", data.resolve(AdminToken.FILE));
        out.println();
        out.println("Create a tenant and its API key (shown once), then call the HTTP API with it:");
        URI api = merlai.httpUrl();
        // tenants create finds this Merlai by its port: name it when it is not the default one
        String url = api.getPort() == LocalSettings.DEFAULT_HTTP_PORT ? "" : " --url " + api;
        out.printf("  key=$(bin/merlai tenants create %s%s --data %s)%n", tenant, url, data);
        out.printf("  curl -H \"Authorization: Bearer $key\" %s/v1/jobs%n", api);
        out.println("Upload a melody (S3 here has one identity, the operator's; an upload is billed to the tenant whose inbox it lands in):");
        out.printf("  AWS_ACCESS_KEY_ID=%s AWS_SECRET_ACCESS_KEY=%s aws --endpoint-url %s --region %s s3 cp song.mid s3://%s/%s%n",
                settings.accessKey(), secret, s3, S3ProxyServer.REGION, settings.bucket(), StorageLayout.inbox(tenant) + "song.mid");
        out.printf("The results appear under s3://%s/%s<job>/ (job.json, arrangement.json, plugins.json, arrangement.mid, arrangement.musicxml, preview.wav, pianoroll.png).%n",
                settings.bucket(), "tenants/" + tenant + "/results/");
        out.printf("Events that could not be delivered are kept in %s; send one again with%n", merlai.router().deadLetters());
        out.printf("  curl -X POST %s<file>/replay%n", merlai.routerUrl().resolve(EventRouter.DEAD_LETTERS_PATH));
        out.println();
        out.flush();
    }

    /**
     * The repository root: {@code merlai.home} or {@code MERLAI_HOME} when set, else the checkout this command was built in
     * ({@code <root>/cli/target/...}), else the working directory.
     */
    static Path defaultHome() {
        if (System.getProperty("merlai.home") != null || System.getenv("MERLAI_HOME") != null) return LocalSettings.defaultHome();
        try {
            Path built = Path.of(ServeCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toAbsolutePath();
            for (Path dir = built.getParent(); dir != null; dir = dir.getParent()) {
                if (Files.isDirectory(dir.resolve("functions")) && Files.isRegularFile(dir.resolve("mvnw"))) return dir;
            }
        } catch (URISyntaxException | RuntimeException e) {
            // no code source to go by
        }
        return LocalSettings.defaultHome();
    }
}
