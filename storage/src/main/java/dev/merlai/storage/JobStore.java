package dev.merlai.storage;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Optional;

/** Job records and results in the object store, laid out as {@link StorageLayout} says. */
public final class JobStore {

    private final ObjectStore store;

    public JobStore(ObjectStore store) {
        this.store = store;
    }

    /**
     * A stable job id for a CloudEvent: the same source and id (a redelivery) always give the same job,
     * so a retried event finds its job instead of starting a second one.
     */
    public static String jobIdForEvent(String source, String eventId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest((source + "\n" + eventId).getBytes(StandardCharsets.UTF_8));
            return "j" + HexFormat.of().formatHex(digest, 0, 12);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always there", e);
        }
    }

    public Optional<JobRecord> find(String tenant, String job) {
        return store.get(StorageLayout.result(tenant, job, StorageLayout.JOB)).map(JobRecord::fromJson);
    }

    public void save(JobRecord record) {
        store.put(StorageLayout.result(record.tenant(), record.job(), StorageLayout.JOB), record.toJson(), "application/json");
    }

    public void putResult(String tenant, String job, String file, byte[] data, String contentType) {
        store.put(StorageLayout.result(tenant, job, file), data, contentType);
    }

    public Optional<byte[]> result(String tenant, String job, String file) {
        return store.get(StorageLayout.result(tenant, job, file));
    }

    public ObjectStore objects() {
        return store;
    }
}
