package dev.merlai.functions.recommend;

import dev.merlai.plugins.Feedback;
import dev.merlai.plugins.InvalidEntryException;
import dev.merlai.plugins.Preferences;
import dev.merlai.plugins.TenantPluginStore;
import io.quarkus.redis.datasource.RedisDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * A tenant's plugin preferences and the score changes their feedback adds up to. The object store holds the truth
 * (preferences and every feedback event, {@link TenantPluginStore}); Redis holds them ready for each ranking:
 * <ul>
 *   <li>the folded feedback is cached with the number of events and the newest event it folded; a ranking lists the
 *       tenant's events (one listing, no reads) and folds them again only when that changed, so new feedback counts
 *       at once, from any replica, even if Redis missed it;</li>
 *   <li>preferences are written to the object store, then to Redis; a cached copy lives {@code cache-ttl-seconds}
 *       at most, so a change Redis missed while it was down is seen within that time.</li>
 * </ul>
 * When Redis fails, it is left alone for {@link #REDIS_PAUSE_MS} and rankings read the object store.
 */
@ApplicationScoped
public class TenantTaste {

    private static final Logger LOG = Logger.getLogger(TenantTaste.class);
    static final long REDIS_PAUSE_MS = 30_000;
    private static final String COUNT = "_count";
    private static final String NEWEST = "_newest";

    @Inject
    RedisDataSource redis;

    @Inject
    TenantPluginStore store;

    @ConfigProperty(name = "merlai.plugins.cache-ttl-seconds", defaultValue = "300")
    long ttlSeconds;

    /** Until when Redis is left alone after a failure (epoch ms). */
    private volatile long redisPausedUntil;

    static String preferencesKey(String tenant) {
        return "merlai:plugins:preferences:" + tenant;
    }

    static String affinityKey(String tenant) {
        return "merlai:plugins:affinity:" + tenant;
    }

    public Preferences preferences(String tenant) {
        String cached = fromRedis(() -> redis.value(String.class).get(preferencesKey(tenant)));
        if (cached != null) {
            try {
                return Preferences.fromJson(cached.getBytes(StandardCharsets.UTF_8));
            } catch (InvalidEntryException e) {
                LOG.warnf("cached preferences of %s are unreadable (%s); reading the stored ones", tenant, e.getMessage());
            }
        }
        Preferences stored = store.preferences(tenant);
        toRedis(() -> redis.value(String.class).setex(preferencesKey(tenant), ttlSeconds, new String(stored.toJson(), StandardCharsets.UTF_8)));
        return stored;
    }

    public void savePreferences(String tenant, Preferences preferences) {
        store.savePreferences(tenant, preferences);
        toRedis(() -> redis.value(String.class).setex(preferencesKey(tenant), ttlSeconds, new String(preferences.toJson(), StandardCharsets.UTF_8)));
    }

    /** Keeps the feedback; once this returns it is in the object store, and the next ranking of any replica sees it. */
    public void record(Feedback feedback) {
        store.append(feedback);
    }

    /** {@link Feedback#key(String, String)} to the total score change of the tenant's feedback. */
    public Map<String, Double> affinity(String tenant) {
        List<String> events = store.feedbackKeys(tenant);
        String newest = events.isEmpty() ? "" : events.get(events.size() - 1);
        Map<String, String> cached = fromRedis(() -> redis.hash(String.class).hgetall(affinityKey(tenant)));
        Map<String, Double> affinity = new HashMap<>();
        if (cached != null && String.valueOf(events.size()).equals(cached.get(COUNT)) && newest.equals(cached.get(NEWEST))) {
            cached.forEach((k, v) -> {
                if (!k.equals(COUNT) && !k.equals(NEWEST)) affinity.put(k, Double.parseDouble(v));
            });
            return affinity;
        }
        for (Feedback f : store.feedback(tenant)) f.adjustments().forEach((k, v) -> affinity.merge(k, v, Double::sum));
        Map<String, String> entries = new HashMap<>();
        affinity.forEach((k, v) -> entries.put(k, Double.toString(v)));
        entries.put(COUNT, String.valueOf(events.size()));
        entries.put(NEWEST, newest);
        toRedis(() -> {
            redis.key().del(affinityKey(tenant));
            redis.hash(String.class).hset(affinityKey(tenant), entries);
            redis.key().expire(affinityKey(tenant), ttlSeconds);
        });
        return affinity;
    }

    private <T> T fromRedis(Supplier<T> read) {
        if (System.currentTimeMillis() < redisPausedUntil) return null;
        try {
            return read.get();
        } catch (RuntimeException e) {
            pause(e);
            return null;
        }
    }

    private void toRedis(Runnable write) {
        fromRedis(() -> {
            write.run();
            return null;
        });
    }

    private void pause(RuntimeException e) {
        redisPausedUntil = System.currentTimeMillis() + REDIS_PAUSE_MS;
        LOG.warnf("Redis is unavailable (%s): plugin preferences and feedback are read from the object store for the next %d s",
                e.getMessage(), REDIS_PAUSE_MS / 1000);
    }
}
