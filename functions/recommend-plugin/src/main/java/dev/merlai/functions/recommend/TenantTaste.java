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
import java.util.Map;

/**
 * A tenant's plugin preferences and the score changes their feedback adds up to. The object store holds the truth
 * (preferences and every feedback event, {@link TenantPluginStore}); Redis holds them ready for each ranking. New
 * feedback clears the tenant's cached affinities, so the next ranking folds them again from the stored events: the
 * cache can be lost at any time and nothing is. When Redis is down, rankings read the object store directly.
 */
@ApplicationScoped
public class TenantTaste {

    private static final Logger LOG = Logger.getLogger(TenantTaste.class);

    @Inject
    RedisDataSource redis;

    @Inject
    TenantPluginStore store;

    @ConfigProperty(name = "merlai.plugins.cache-ttl-seconds", defaultValue = "3600")
    long ttlSeconds;

    static String preferencesKey(String tenant) {
        return "merlai:plugins:preferences:" + tenant;
    }

    static String affinityKey(String tenant) {
        return "merlai:plugins:affinity:" + tenant;
    }

    public Preferences preferences(String tenant) {
        try {
            String cached = redis.value(String.class).get(preferencesKey(tenant));
            if (cached != null) return Preferences.fromJson(cached.getBytes(StandardCharsets.UTF_8));
        } catch (RuntimeException | InvalidEntryException e) {
            LOG.debugf("preferences of %s not cached: %s", tenant, e);
        }
        Preferences stored = store.preferences(tenant);
        cache(() -> redis.value(String.class).setex(preferencesKey(tenant), ttlSeconds, new String(stored.toJson(), StandardCharsets.UTF_8)));
        return stored;
    }

    public void savePreferences(String tenant, Preferences preferences) {
        store.savePreferences(tenant, preferences);
        cache(() -> redis.value(String.class).setex(preferencesKey(tenant), ttlSeconds, new String(preferences.toJson(), StandardCharsets.UTF_8)));
    }

    /** Keeps the feedback (object store first: once this returns it is durable) and lets the next ranking see it. */
    public void record(Feedback feedback) {
        store.append(feedback);
        cache(() -> redis.key().del(affinityKey(feedback.tenant())));
    }

    /** {@link Feedback#key(String, String)} to the total score change of the tenant's feedback. */
    public Map<String, Double> affinity(String tenant) {
        try {
            Map<String, String> cached = redis.hash(String.class).hgetall(affinityKey(tenant));
            if (cached != null && !cached.isEmpty()) {
                Map<String, Double> affinity = new HashMap<>();
                cached.forEach((k, v) -> {
                    if (!k.equals(BUILT)) affinity.put(k, Double.parseDouble(v));
                });
                return affinity;
            }
        } catch (RuntimeException e) {
            LOG.debugf("affinity of %s not cached: %s", tenant, e);
        }
        Map<String, Double> folded = new HashMap<>();
        for (Feedback f : store.feedback(tenant)) f.adjustments().forEach((k, v) -> folded.merge(k, v, Double::sum));
        Map<String, String> entries = new HashMap<>();
        folded.forEach((k, v) -> entries.put(k, Double.toString(v)));
        entries.put(BUILT, "1"); // an empty hash is no hash in Redis: the marker caches "no feedback" too
        cache(() -> {
            redis.hash(String.class).hset(affinityKey(tenant), entries);
            redis.key().expire(affinityKey(tenant), ttlSeconds);
        });
        return folded;
    }

    private static final String BUILT = "_built";

    private static void cache(Runnable write) {
        try {
            write.run();
        } catch (RuntimeException e) {
            LOG.warnf("Redis is unavailable, plugin preferences and feedback are read from the object store: %s", e.getMessage());
        }
    }
}
