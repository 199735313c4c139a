package dev.merlai.local;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("LocalSettings")
class LocalSettingsTest {

    private static final Path HOME = Path.of("/repo");

    @Test
    @DisplayName("defaults to the documented ports and credentials, data in <home>/.merlai, Redis started here")
    void defaults() {
        LocalSettings settings = LocalSettings.fromEnvironment(Map.of(), HOME);
        assertEquals(Path.of("/repo/.merlai"), settings.dataDir());
        assertEquals("127.0.0.1", settings.host());
        assertEquals(9000, settings.s3Port());
        assertEquals(6379, settings.redisPort());
        assertEquals(8080, settings.httpPort());
        assertEquals(8081, settings.renderPort());
        assertEquals(8082, settings.recommendPort());
        assertEquals(8083, settings.trainPort());
        assertEquals(8090, settings.routerPort());
        assertEquals("merlai", settings.accessKey());
        assertEquals("merlai-secret", settings.secretKey());
        assertEquals("merlai", settings.bucket());
        assertNull(settings.redisUrl());
        assertEquals(1000, settings.pollMillis());
        assertTrue(settings.functionUrls().isEmpty());
        assertEquals("1g", settings.functionHeap());
    }

    @Test
    @DisplayName("takes every value the environment sets")
    void environment() {
        LocalSettings settings = LocalSettings.fromEnvironment(Map.ofEntries(
                Map.entry("MERLAI_DATA", "/data"), Map.entry("MERLAI_S3_PORT", "19000"), Map.entry("MERLAI_HTTP_PORT", "18080"),
                Map.entry("MERLAI_RENDER_PORT", "18081"), Map.entry("MERLAI_RECOMMEND_PORT", "18082"), Map.entry("MERLAI_TRAIN_PORT", "18083"),
                Map.entry("MERLAI_ROUTER_PORT", "18090"), Map.entry("MERLAI_REDIS_PORT", "16379"),
                Map.entry("MERLAI_REDIS_URL", "redis://10.0.0.5:6379"), Map.entry("MERLAI_S3_ACCESS_KEY", "k"),
                Map.entry("MERLAI_S3_SECRET_KEY", "s"), Map.entry("MERLAI_S3_BUCKET", "b"), Map.entry("MERLAI_POLL_MS", "250"), Map.entry("MERLAI_FUNCTION_HEAP", "768m"),
                Map.entry("MERLAI_COMPLETE_URL", "http://127.0.0.1:5005"), Map.entry("MERLAI_TRAIN_TRIGGER_URL", "http://127.0.0.1:5006")), HOME);
        assertEquals(Path.of("/data"), settings.dataDir());
        assertEquals(19000, settings.s3Port());
        assertEquals(18080, settings.httpPort());
        assertEquals(18081, settings.renderPort());
        assertEquals(18082, settings.recommendPort());
        assertEquals(18083, settings.trainPort());
        assertEquals(18090, settings.routerPort());
        assertEquals(16379, settings.redisPort());
        assertEquals("768m", settings.functionHeap());
        assertEquals(URI.create("redis://10.0.0.5:6379"), settings.redisUrl());
        assertEquals("k", settings.accessKey());
        assertEquals("s", settings.secretKey());
        assertEquals("b", settings.bucket());
        assertEquals(250, settings.pollMillis());
        assertEquals(Map.of(LocalMerlai.COMPLETE, URI.create("http://127.0.0.1:5005"), LocalMerlai.TRAIN_TRIGGER, URI.create("http://127.0.0.1:5006")),
                settings.functionUrls());
    }

    @Test
    @DisplayName("refuses a port that is no port, naming the variable")
    void badPort() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LocalSettings.fromEnvironment(Map.of("MERLAI_S3_PORT", "nine thousand"), HOME));
        assertTrue(e.getMessage().contains("MERLAI_S3_PORT"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LocalSettings.fromEnvironment(Map.of("MERLAI_HTTP_PORT", "70000"), HOME));
    }

    @Test
    @DisplayName("refuses a heap limit that -Xmx would not take")
    void badHeap() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> LocalSettings.fromEnvironment(Map.of("MERLAI_FUNCTION_HEAP", "1 GB"), HOME));
        assertTrue(e.getMessage().contains("-Xmx"), e.getMessage());
    }

    @Test
    @DisplayName("never shows the secret key")
    void noSecretInText() {
        assertFalse(LocalSettings.defaults(HOME).toString().contains("merlai-secret"));
    }

    @Test
    @DisplayName("ephemeral settings take any free port")
    void ephemeral() {
        LocalSettings settings = LocalSettings.ephemeral(HOME, Path.of("/tmp/x"));
        assertEquals(0, settings.s3Port() + settings.redisPort() + settings.httpPort() + settings.renderPort() + settings.recommendPort()
                + settings.trainPort() + settings.routerPort());
        assertEquals(Path.of("/tmp/x"), settings.dataDir());
    }
}
