package dev.merlai.testing;

import dev.merlai.embedded.S3ProxyServer;
import dev.merlai.storage.ObjectStore;
import dev.merlai.storage.S3Settings;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Starts a real S3 server (S3Proxy, its own process, on a free loopback port) with the {@code merlai} bucket
 * for a {@code @QuarkusTest}, points the function's {@code merlai.s3.*} settings at it, and stops it after.
 * Tests reach the same store through {@link #settings()}.
 */
public class S3ProxyResource implements QuarkusTestResourceLifecycleManager {

    public static final String ACCESS_KEY = "merlai-test";
    public static final String SECRET_KEY = "merlai-test-secret";
    public static final String BUCKET = "merlai";

    private static volatile S3Settings settings;
    private static volatile ObjectStore store;
    private static volatile S3ProxyServer running;
    private S3ProxyServer server;
    private Path data;

    @Override
    public Map<String, String> start() {
        try {
            data = Files.createTempDirectory("merlai-s3-test");
            server = S3ProxyServer.start(data, "127.0.0.1", 0, ACCESS_KEY, SECRET_KEY);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        running = server;
        settings = new S3Settings(server.endpoint(), "us-east-1", ACCESS_KEY, SECRET_KEY, BUCKET);
        try (ObjectStore store = new ObjectStore(settings)) {
            store.ensureBucket();
        }
        return Map.of(
                "merlai.s3.endpoint", server.endpoint().toString(),
                "merlai.s3.access-key", ACCESS_KEY,
                "merlai.s3.secret-key", SECRET_KEY,
                "merlai.s3.bucket", BUCKET);
    }

    /** The settings of the running server, for tests that put or read objects themselves. */
    public static S3Settings settings() {
        if (settings == null) throw new IllegalStateException("S3ProxyResource has not started");
        return settings;
    }

    /** The running server, for tests that stop or freeze it to see how the function copes. */
    public static S3ProxyServer server() {
        if (running == null) throw new IllegalStateException("S3ProxyResource has not started");
        return running;
    }

    /** A client of the running server for tests (closed when the resource stops). */
    public static synchronized ObjectStore store() {
        if (store == null) store = new ObjectStore(settings());
        return store;
    }

    @Override
    public void stop() {
        synchronized (S3ProxyResource.class) {
            if (store != null) store.close();
            store = null;
        }
        if (server != null) server.close();
        if (data != null) {
            try (var files = Files.walk(data)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException ignored) {
                // a temp folder left behind is harmless
            }
        }
    }
}
