package dev.merlai.plugins;

import dev.merlai.storage.ObjectStore;

import java.util.function.UnaryOperator;

/**
 * The catalog in the object store, at {@code catalog/plugins.json}; seeded from the jar the first time it is read.
 * Each change writes the next version. Changes are serialised within one process; two replicas changing the
 * catalog at the same instant could lose one change (a conditional write on the object's ETag would close that).
 */
public final class CatalogStore {

    public static final String KEY = "catalog/plugins.json";

    private final ObjectStore store;
    /** The last catalog read and its bytes: an unchanged file is not parsed and validated again. */
    private byte[] lastBytes;
    private Catalog last;

    public CatalogStore(ObjectStore store) {
        this.store = store;
    }

    /** The stored catalog; the seed, written there, when there is none yet. */
    public synchronized Catalog current() {
        var stored = store.get(KEY);
        if (stored.isEmpty()) {
            Catalog seed = Catalog.seed();
            store.put(KEY, seed.toJson(), "application/json");
            return seed;
        }
        if (last != null && java.util.Arrays.equals(lastBytes, stored.get())) return last;
        try {
            last = Catalog.fromJson(stored.get());
            lastBytes = stored.get();
            return last;
        } catch (InvalidEntryException e) {
            throw new IllegalStateException("the stored catalog " + KEY + " is invalid at " + e.field() + ": " + e.getMessage(), e);
        }
    }

    /** Applies a change to the current catalog and stores the result (the next version). */
    public synchronized Catalog change(UnaryOperator<Catalog> change) {
        Catalog next = change.apply(current());
        store.put(KEY, next.toJson(), "application/json");
        return next;
    }
}
