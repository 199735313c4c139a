package dev.merlai.local;

import java.net.URI;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Everything {@link LocalMerlai} can be told. A port of 0 means any free port.
 *
 * @param home           the repository root, where {@code functions/<f>/target/quarkus-app/quarkus-run.jar} are
 * @param dataDir        where the local state lives: {@code s3/} (the bucket), {@code logs/} (the functions' output),
 *                       {@code dead-letters/}; the Redis started here keeps nothing (it holds caches and meters only)
 * @param host           the loopback address every server binds to
 * @param s3Port         S3Proxy's port
 * @param accessKey      the S3 access key
 * @param secretKey      the S3 secret key
 * @param bucket         the bucket, created at start
 * @param redisUrl       an already running Redis ({@code redis://host:port}); null starts one on {@code redisPort}
 * @param redisPort      the port of the Redis started here
 * @param httpPort       the HTTP API's port: every function's public API and Merlai Studio, through the {@link Gateway}
 * @param renderPort     the {@code render-midi} function's port
 * @param recommendPort  the {@code recommend-plugin} function's port (the plugin catalog, preferences and feedback API)
 * @param trainPort      the {@code train-trigger} function's port: the training API
 * @param routerPort     the event router's port (POST events to {@code /})
 * @param pollMillis     how often the inbox watcher lists the bucket, in ms
 * @param functionUrls   functions already running elsewhere (name to base URL, e.g. a {@code quarkus:dev} session):
 *                       events go there and no process is started for them
 * @param delivery       the router's retries, timeouts and bounds
 * @param readyTimeoutMs how long each function may take to answer {@code /q/health/ready} with 200, in ms
 * @param functionHeap   each function's heap limit, as {@code -Xmx} takes it ({@code 1g}, {@code 768m})
 */
public record LocalSettings(Path home, Path dataDir, String host, int s3Port, String accessKey, String secretKey, String bucket,
                            URI redisUrl, int redisPort, int httpPort, int renderPort, int recommendPort, int trainPort, int routerPort, long pollMillis,
                            Map<String, URI> functionUrls, DeliveryPolicy delivery, long readyTimeoutMs, String functionHeap) {

    public static final int DEFAULT_S3_PORT = 9000;
    public static final int DEFAULT_REDIS_PORT = 6379;
    public static final int DEFAULT_HTTP_PORT = 8080;
    public static final int DEFAULT_RENDER_PORT = 8081;
    public static final int DEFAULT_RECOMMEND_PORT = 8082;
    public static final int DEFAULT_TRAIN_PORT = 8083;
    public static final int DEFAULT_ROUTER_PORT = 8090;
    public static final String DEFAULT_ACCESS_KEY = "merlai";
    public static final String DEFAULT_SECRET_KEY = "merlai-secret";
    public static final String DEFAULT_BUCKET = "merlai";
    /** 3 minutes: a function's first start on two busy cores loads its models slowly. */
    public static final long DEFAULT_READY_TIMEOUT_MS = 180_000;
    /**
     * 1 GiB: the models (17 MB of ONNX, run off-heap) and the largest input (8 MiB of score, a few hundred MB once
     * parsed and arranged) with room; without a limit the JVM takes a quarter of the machine's memory.
     */
    public static final String DEFAULT_FUNCTION_HEAP = "1g";
    private static final java.util.regex.Pattern HEAP = java.util.regex.Pattern.compile("[1-9][0-9]*[kKmMgG]?");

    public LocalSettings {
        if (home == null || dataDir == null || host == null || accessKey == null || secretKey == null || bucket == null || delivery == null) {
            throw new IllegalArgumentException("home, data folder, host, keys, bucket and delivery policy are required");
        }
        for (int port : new int[]{s3Port, redisPort, httpPort, renderPort, recommendPort, trainPort, routerPort}) {
            if (port < 0 || port > 65535) throw new IllegalArgumentException("a port must be 0..65535, was " + port);
        }
        if (pollMillis < 1 || readyTimeoutMs < 1) throw new IllegalArgumentException("the poll interval and ready timeout must be positive");
        functionUrls = Map.copyOf(functionUrls);
        if (functionHeap == null || !HEAP.matcher(functionHeap).matches()) {
            throw new IllegalArgumentException("the function heap must be a size as -Xmx takes it (1g, 768m), was '" + functionHeap + "'");
        }
    }

    /**
     * The fixed default ports (S3 9000, Redis 6379, complete 8080, render-midi 8081, recommend-plugin 8082, train-trigger 8083, router 8090),
     * data in {@code <home>/.merlai}.
     */
    public static LocalSettings defaults(Path home) {
        return new LocalSettings(home, home.resolve(".merlai"), "127.0.0.1", DEFAULT_S3_PORT, DEFAULT_ACCESS_KEY, DEFAULT_SECRET_KEY,
                DEFAULT_BUCKET, null, DEFAULT_REDIS_PORT, DEFAULT_HTTP_PORT, DEFAULT_RENDER_PORT, DEFAULT_RECOMMEND_PORT, DEFAULT_TRAIN_PORT, DEFAULT_ROUTER_PORT,
                InboxWatcher.DEFAULT_INTERVAL_MS, Map.of(), DeliveryPolicy.DEFAULT, DEFAULT_READY_TIMEOUT_MS, DEFAULT_FUNCTION_HEAP);
    }

    /** For tests: every port free, data in {@code dataDir}, the inbox polled every 200 ms. */
    public static LocalSettings ephemeral(Path home, Path dataDir) {
        return defaults(home).withDataDir(dataDir).withPorts(0, 0, 0, 0, 0, 0).withTrainPort(0).withPollMillis(200);
    }

    /**
     * The defaults with what the environment sets: {@code MERLAI_DATA}, {@code MERLAI_HOST}, {@code MERLAI_S3_PORT},
     * {@code MERLAI_S3_ACCESS_KEY}, {@code MERLAI_S3_SECRET_KEY}, {@code MERLAI_S3_BUCKET}, {@code MERLAI_REDIS_URL},
     * {@code MERLAI_REDIS_PORT}, {@code MERLAI_HTTP_PORT}, {@code MERLAI_RENDER_PORT}, {@code MERLAI_RECOMMEND_PORT},
     * {@code MERLAI_TRAIN_PORT}, {@code MERLAI_ROUTER_PORT}, {@code MERLAI_POLL_MS}, {@code MERLAI_COMPLETE_URL}, {@code MERLAI_RENDER_MIDI_URL},
     * {@code MERLAI_RECOMMEND_PLUGIN_URL}, {@code MERLAI_TRAIN_TRIGGER_URL}, {@code MERLAI_ACCOUNT_URL}, {@code MERLAI_FUNCTION_HEAP}.
     *
     * @throws IllegalArgumentException when a value is malformed (a port that is no number)
     */
    public static LocalSettings fromEnvironment(Map<String, String> env, Path home) {
        LocalSettings d = defaults(home);
        Map<String, URI> functions = new LinkedHashMap<>();
        if (set(env, "MERLAI_COMPLETE_URL")) functions.put(LocalMerlai.COMPLETE, URI.create(env.get("MERLAI_COMPLETE_URL")));
        if (set(env, "MERLAI_RENDER_MIDI_URL")) functions.put(LocalMerlai.RENDER_MIDI, URI.create(env.get("MERLAI_RENDER_MIDI_URL")));
        if (set(env, "MERLAI_RECOMMEND_PLUGIN_URL")) functions.put(LocalMerlai.RECOMMEND_PLUGIN, URI.create(env.get("MERLAI_RECOMMEND_PLUGIN_URL")));
        if (set(env, "MERLAI_TRAIN_TRIGGER_URL")) functions.put(LocalMerlai.TRAIN_TRIGGER, URI.create(env.get("MERLAI_TRAIN_TRIGGER_URL")));
        if (set(env, "MERLAI_ACCOUNT_URL")) functions.put(LocalMerlai.ACCOUNT, URI.create(env.get("MERLAI_ACCOUNT_URL")));
        return new LocalSettings(home,
                set(env, "MERLAI_DATA") ? Path.of(env.get("MERLAI_DATA")) : d.dataDir,
                env.getOrDefault("MERLAI_HOST", d.host).strip(),
                port(env, "MERLAI_S3_PORT", d.s3Port),
                set(env, "MERLAI_S3_ACCESS_KEY") ? env.get("MERLAI_S3_ACCESS_KEY") : d.accessKey,
                set(env, "MERLAI_S3_SECRET_KEY") ? env.get("MERLAI_S3_SECRET_KEY") : d.secretKey,
                set(env, "MERLAI_S3_BUCKET") ? env.get("MERLAI_S3_BUCKET") : d.bucket,
                set(env, "MERLAI_REDIS_URL") ? URI.create(env.get("MERLAI_REDIS_URL")) : null,
                port(env, "MERLAI_REDIS_PORT", d.redisPort),
                port(env, "MERLAI_HTTP_PORT", d.httpPort),
                port(env, "MERLAI_RENDER_PORT", d.renderPort),
                port(env, "MERLAI_RECOMMEND_PORT", d.recommendPort),
                port(env, "MERLAI_TRAIN_PORT", d.trainPort),
                port(env, "MERLAI_ROUTER_PORT", d.routerPort),
                set(env, "MERLAI_POLL_MS") ? number(env, "MERLAI_POLL_MS") : d.pollMillis,
                functions, d.delivery, d.readyTimeoutMs,
                set(env, "MERLAI_FUNCTION_HEAP") ? env.get("MERLAI_FUNCTION_HEAP").strip() : d.functionHeap);
    }

    /**
     * The repository root: system property {@code merlai.home}, else environment variable {@code MERLAI_HOME}, else the
     * working directory.
     */
    public static Path defaultHome() {
        String home = System.getProperty("merlai.home", System.getenv("MERLAI_HOME"));
        return Path.of(home == null || home.isBlank() ? System.getProperty("user.dir") : home).toAbsolutePath();
    }

    public LocalSettings withDataDir(Path newDataDir) {
        return new LocalSettings(home, newDataDir, host, s3Port, accessKey, secretKey, bucket, redisUrl, redisPort, httpPort, renderPort,
                recommendPort, trainPort, routerPort, pollMillis, functionUrls, delivery, readyTimeoutMs, functionHeap);
    }

    /** Other ports for S3Proxy, the Redis started here, complete, render-midi, recommend-plugin and the router. */
    public LocalSettings withPorts(int newS3Port, int newRedisPort, int newHttpPort, int newRenderPort, int newRecommendPort, int newRouterPort) {
        return new LocalSettings(home, dataDir, host, newS3Port, accessKey, secretKey, bucket, redisUrl, newRedisPort, newHttpPort,
                newRenderPort, newRecommendPort, trainPort, newRouterPort, pollMillis, functionUrls, delivery, readyTimeoutMs, functionHeap);
    }

    /** Another port for the train-trigger function. */
    public LocalSettings withTrainPort(int newTrainPort) {
        return new LocalSettings(home, dataDir, host, s3Port, accessKey, secretKey, bucket, redisUrl, redisPort, httpPort, renderPort,
                recommendPort, newTrainPort, routerPort, pollMillis, functionUrls, delivery, readyTimeoutMs, functionHeap);
    }

    public LocalSettings withCredentials(String newAccessKey, String newSecretKey) {
        return new LocalSettings(home, dataDir, host, s3Port, newAccessKey, newSecretKey, bucket, redisUrl, redisPort, httpPort, renderPort,
                recommendPort, trainPort, routerPort, pollMillis, functionUrls, delivery, readyTimeoutMs, functionHeap);
    }

    /** Uses a running Redis instead of starting one; null starts one. */
    public LocalSettings withRedisUrl(URI newRedisUrl) {
        return new LocalSettings(home, dataDir, host, s3Port, accessKey, secretKey, bucket, newRedisUrl, redisPort, httpPort, renderPort,
                recommendPort, trainPort, routerPort, pollMillis, functionUrls, delivery, readyTimeoutMs, functionHeap);
    }

    /** Delivers a function's events to {@code url} instead of starting the function. */
    public LocalSettings withFunctionUrl(String function, URI url) {
        LocalMerlai.checkFunction(function);
        Map<String, URI> urls = new LinkedHashMap<>(functionUrls);
        urls.put(function, url);
        return new LocalSettings(home, dataDir, host, s3Port, accessKey, secretKey, bucket, redisUrl, redisPort, httpPort, renderPort,
                recommendPort, trainPort, routerPort, pollMillis, urls, delivery, readyTimeoutMs, functionHeap);
    }

    /** Another inbox poll interval, in ms. */
    public LocalSettings withPollMillis(long newPollMillis) {
        return new LocalSettings(home, dataDir, host, s3Port, accessKey, secretKey, bucket, redisUrl, redisPort, httpPort, renderPort,
                recommendPort, trainPort, routerPort, newPollMillis, functionUrls, delivery, readyTimeoutMs, functionHeap);
    }

    public LocalSettings withDelivery(DeliveryPolicy newDelivery) {
        return new LocalSettings(home, dataDir, host, s3Port, accessKey, secretKey, bucket, redisUrl, redisPort, httpPort, renderPort,
                recommendPort, trainPort, routerPort, pollMillis, functionUrls, newDelivery, readyTimeoutMs, functionHeap);
    }

    /** Another limit for a function's start, in ms. */
    public LocalSettings withReadyTimeoutMs(long newReadyTimeoutMs) {
        return new LocalSettings(home, dataDir, host, s3Port, accessKey, secretKey, bucket, redisUrl, redisPort, httpPort, renderPort,
                recommendPort, trainPort, routerPort, pollMillis, functionUrls, delivery, newReadyTimeoutMs, functionHeap);
    }

    /** Another heap limit for each function, as {@code -Xmx} takes it. */
    public LocalSettings withFunctionHeap(String newFunctionHeap) {
        return new LocalSettings(home, dataDir, host, s3Port, accessKey, secretKey, bucket, redisUrl, redisPort, httpPort, renderPort,
                recommendPort, trainPort, routerPort, pollMillis, functionUrls, delivery, readyTimeoutMs, newFunctionHeap);
    }

    @Override
    public String toString() { // never the secret
        return "LocalSettings[home " + home + ", data " + dataDir + ", host " + host + ", s3 " + s3Port + ", key " + accessKey
                + ", bucket " + bucket + ", redis " + (redisUrl != null ? redisUrl : "port " + redisPort) + ", complete " + httpPort
                + ", render-midi " + renderPort + ", recommend-plugin " + recommendPort + ", train-trigger " + trainPort + ", router " + routerPort + ", poll " + pollMillis + " ms, external " + functionUrls + "]";
    }

    private static boolean set(Map<String, String> env, String name) {
        return env.get(name) != null && !env.get(name).isBlank();
    }

    private static int port(Map<String, String> env, String name, int fallback) {
        if (!set(env, name)) return fallback;
        long port = number(env, name);
        if (port < 0 || port > 65535) throw new IllegalArgumentException(name + " must be a port 0..65535, was " + port);
        return (int) port;
    }

    private static long number(Map<String, String> env, String name) {
        try {
            return Long.parseLong(env.get(name).strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + " must be a number, was '" + env.get(name) + "'");
        }
    }
}
