package dev.merlai.functions.complete;

import dev.merlai.arranger.ArrangeOptions;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.ValueCommands;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/**
 * Finished arrangements in Redis, keyed by (input bytes, options, model version), with a TTL. Redis is a
 * cache here, never the truth: when it is down, completions go on uncached and {@link #degraded()} says so.
 */
@ApplicationScoped
public class CompletionCache {

    private static final Logger LOG = Logger.getLogger(CompletionCache.class);

    @Inject
    RedisDataSource redis;

    @ConfigProperty(name = "merlai.cache.ttl-seconds", defaultValue = "86400")
    long ttlSeconds;

    private volatile boolean degraded;

    /** The cache key: a hash of everything that decides the output. */
    public static String key(byte[] input, ArrangeOptions options, String modelVersion) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update(input);
            digest.update(("\n" + options + "\n" + modelVersion).getBytes(StandardCharsets.UTF_8));
            return "merlai:completion:" + HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always there", e);
        }
    }

    public Optional<byte[]> get(String key) {
        try {
            String value = values().get(key);
            healthy();
            return Optional.ofNullable(value).map(v -> v.getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException e) {
            unhealthy(e);
            return Optional.empty();
        }
    }

    public void put(String key, byte[] arrangementJson) {
        try {
            values().setex(key, ttlSeconds, new String(arrangementJson, StandardCharsets.UTF_8));
            healthy();
        } catch (RuntimeException e) {
            unhealthy(e);
        }
    }

    /** True while the last cache call failed. */
    public boolean degraded() {
        return degraded;
    }

    private ValueCommands<String, String> values() {
        return redis.value(String.class);
    }

    private void healthy() {
        if (degraded) LOG.info("Redis is back: caching completions again");
        degraded = false;
    }

    private void unhealthy(RuntimeException e) {
        if (!degraded) LOG.warnf("Redis is unavailable, completing without cache: %s", e.getMessage());
        degraded = true;
    }
}
