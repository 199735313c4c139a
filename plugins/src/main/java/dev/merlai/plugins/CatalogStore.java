package dev.merlai.plugins;

import dev.merlai.storage.ObjectStore;

import java.util.Arrays;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The catalog in the object store; seeded from the jar the first time it is read. Every version is its own object,
 * {@code catalog/versions/<n>.json}, written only if absent (a conditional S3 write): of two replicas changing the
 * catalog at once only one writes version n, and the other applies its change again on top of that one, so no
 * change is lost. {@code catalog/plugins.json} holds a copy of the latest version; it may lag behind (a writer between
 * its two writes, or an older copy written last), so a read follows the versions written after it.
 */
public final class CatalogStore {

    public static final String KEY = "catalog/plugins.json";
    public static final String VERSIONS = "catalog/versions/";
    private static final String JSON = "application/json";
    /** More replicas than this changing the catalog under one change means something is wrong, not busy. */
    static final int MAX_ATTEMPTS = 100;

    private final ObjectStore store;
    /** The last copy read and its bytes: an unchanged copy is not parsed and validated again. */
    private byte[] lastBytes;
    private Catalog last;

    public CatalogStore(ObjectStore store) {
        this.store = store;
    }

    public static String versionKey(long version) {
        return VERSIONS + version + ".json";
    }

    /** The newest stored catalog; the seed, written there, when there is none yet. */
    public synchronized Catalog current() {
        Catalog latest = latestCopy();
        for (Optional<byte[]> newer; (newer = store.get(versionKey(latest.version() + 1))).isPresent(); ) {
            latest = parse(versionKey(latest.version() + 1), newer.get());
        }
        return latest;
    }

    /**
     * Applies a change to the newest catalog and stores the result as the next version. When another replica stored
     * that version first, the change is applied again to theirs: {@code change} may run more than once.
     *
     * @throws IllegalArgumentException from {@code change}, e.g. for an entry that the catalog (by now) has or lacks
     */
    public synchronized Catalog change(UnaryOperator<Catalog> change) {
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            Catalog base = current();
            Catalog next = change.apply(base);
            if (next.version() != base.version() + 1) throw new IllegalStateException("a change makes version " + (base.version() + 1) + ", not " + next.version());
            byte[] json = next.toJson();
            if (store.putIfAbsent(versionKey(next.version()), json, JSON)) {
                store.put(KEY, json, JSON);
                return next;
            }
        }
        throw new IllegalStateException("the catalog changed " + MAX_ATTEMPTS + " times under one change");
    }

    private Catalog latestCopy() {
        Optional<byte[]> stored = store.get(KEY);
        if (stored.isEmpty()) {
            Catalog seed = Catalog.seed();
            byte[] json = seed.toJson();
            store.putIfAbsent(versionKey(seed.version()), json, JSON);
            store.put(KEY, json, JSON);
            return seed;
        }
        if (last == null || !Arrays.equals(lastBytes, stored.get())) {
            last = parse(KEY, stored.get());
            lastBytes = stored.get();
        }
        return last;
    }

    private static Catalog parse(String key, byte[] json) {
        try {
            return Catalog.fromJson(json);
        } catch (InvalidEntryException e) {
            throw new IllegalStateException("the stored catalog " + key + " is invalid at " + e.field() + ": " + e.getMessage(), e);
        }
    }
}
