package dev.merlai.functions.complete;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merlai.arranger.ArrangeOptions;
import dev.merlai.arranger.Arrangement;
import dev.merlai.arranger.harmony.ChordLayer;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.redis.datasource.value.ValueCommands;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * Finished arrangements in Redis, keyed by (input bytes, options, model version), with a TTL, each with the report it
 * was made with (meter, key, bars generated, time), so a cached answer says what a fresh one says. Redis is a
 * cache here, never the truth: when it is down, completions go on uncached and {@link #degraded()} says so.
 */
@ApplicationScoped
public class CompletionCache {

    private static final Logger LOG = Logger.getLogger(CompletionCache.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<List<ChordLayer.Spelled>> ALTERNATIVES = new TypeReference<>() {
    };

    /** A cached arrangement: its score as Merlai JSON and the arranger's report on it. */
    public record Entry(byte[] arrangementJson, String meter, String key, String form, String intro, long movedTicks, String ending,
                        String generatedBars, long millis, List<ChordLayer.Spelled> chordAlternatives) {
        static Entry of(byte[] arrangementJson, Arrangement arrangement) {
            return new Entry(arrangementJson, arrangement.meter(), arrangement.key(), arrangement.form(), arrangement.intro(), arrangement.movedTicks(),
                    arrangement.ending(), arrangement.generatedBars(), arrangement.millis(), arrangement.spelledChordChoices());
        }
    }

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
            return "merlai:completion:v3:" + HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always there", e);
        }
    }

    public Optional<Entry> get(String key) {
        String value;
        try {
            value = values().get(key);
            healthy();
        } catch (RuntimeException e) {
            unhealthy(e);
            return Optional.empty();
        }
        if (value == null) return Optional.empty();
        try {
            JsonNode node = MAPPER.readTree(value);
            return Optional.of(new Entry(node.path("arrangement").asText().getBytes(StandardCharsets.UTF_8), node.path("meter").asText(null),
                    node.path("key").asText(null), node.path("form").asText(null), node.path("intro").asText(null), node.path("movedTicks").asLong(),
                    node.path("ending").asText(null), node.path("generatedBars").asText(null), node.path("millis").asLong(),
                    node.has("chordAlternatives") ? MAPPER.convertValue(node.get("chordAlternatives"), ALTERNATIVES) : List.of()));
        } catch (IOException e) {
            LOG.warnf("cache entry %s is unreadable, arranging anew: %s", key, e.getMessage());
            return Optional.empty();
        }
    }

    public void put(String key, Entry entry) {
        var node = MAPPER.createObjectNode().put("meter", entry.meter()).put("key", entry.key()).put("form", entry.form()).put("intro", entry.intro())
                .put("movedTicks", entry.movedTicks()).put("ending", entry.ending()).put("generatedBars", entry.generatedBars())
                .put("millis", entry.millis()).put("arrangement", new String(entry.arrangementJson(), StandardCharsets.UTF_8));
        node.set("chordAlternatives", MAPPER.valueToTree(entry.chordAlternatives()));
        try {
            values().setex(key, ttlSeconds, node.toString());
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
