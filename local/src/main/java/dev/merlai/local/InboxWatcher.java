package dev.merlai.local;

import dev.merlai.events.CloudEvent;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merlai.events.CompletionRequest;
import dev.merlai.events.EventSignature;
import dev.merlai.events.EventTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.merlai.storage.ListedObject;
import dev.merlai.storage.ObjectStore;
import dev.merlai.storage.StorageLayout;
import dev.merlai.storage.StorageUnavailableException;
import software.amazon.awssdk.core.exception.SdkException;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * What MinIO's bucket notifications do in the cluster: polls the bucket every interval and raises
 * {@code dev.merlai.melody.uploaded} ({@link CompletionRequest#upload}: {@code {"tenant": ..., "key": ...}}, source {@value #SOURCE}, subject the key) for
 * each new version of an object in a tenant's inbox, by POSTing it in binary mode, signed with the events secret, to an
 * event sink (the {@link EventRouter}).
 *
 * <p>The event id is a hash of the key, ETag and last-modified time: the same object version always gets the same id
 * (and the same job), while a new upload to the same key is a new event. What it handed on is remembered in the bucket,
 * as an empty marker object {@code system/inbox-raised/<event id>}, so a restarted watcher does not raise every inbox
 * file again; a marker goes when its object version does. An event the sink could not take for now (5xx, unreachable)
 * is raised again on the next poll. An upload that cannot be handed on at all (the sink refuses the event with a 4xx,
 * or it cannot be sent) is skipped and reported to the {@link RefusedUpload} handler, and the poll goes on with the
 * next key.
 */
public final class InboxWatcher implements AutoCloseable {

    public static final String SOURCE = "/merlai/local/inbox";
    /** Every tenant's objects are under this prefix. */
    public static final String TENANTS = "tenants/";
    /** How often the bucket is listed by default, in ms. */
    public static final long DEFAULT_INTERVAL_MS = 1000;
    /** Where the markers of the object versions handed on are kept. */
    public static final String MARKERS = "system/inbox-raised/";

    /** Told of an upload that cannot be handed on; the watcher has logged it and will not raise it again. */
    @FunctionalInterface
    public interface RefusedUpload {
        /**
         * @param eventId the id the upload's event has ({@link #eventId}), from which its job id follows
         * @param reason  why it was not handed on, for the tenant's eyes
         */
        void refused(String tenant, String key, String eventId, String reason);
    }

    private static final Logger LOG = LoggerFactory.getLogger(InboxWatcher.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final ObjectStore store;
    private final URI sink;
    private final EventSignature signature;
    private final RefusedUpload refusedUpload;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(2)).build();
    /** The ids of the object versions handed on (or refused for good); read from the markers on the first poll. */
    private Set<String> handedOn;
    private final ScheduledExecutorService timer;
    private boolean failing;

    /**
     * @param store       the bucket's store (the caller closes it)
     * @param sink        where events are POSTed, e.g. {@link EventRouter#endpoint()}
     * @param signature   signs each event ({@link EventsSecret})
     * @param refused     told of each upload that cannot be handed on (after it is logged)
     */
    public InboxWatcher(ObjectStore store, URI sink, EventSignature signature, RefusedUpload refused) {
        this.store = store;
        this.sink = sink;
        this.signature = signature;
        this.refusedUpload = refused;
        this.timer = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "merlai-inbox-watcher");
            thread.setDaemon(true);
            return thread;
        });
    }

    /** Polls every {@code intervalMillis} ms from now on, the first poll at once. */
    public InboxWatcher start(long intervalMillis) {
        if (intervalMillis < 1) throw new IllegalArgumentException("the poll interval must be at least 1 ms, was " + intervalMillis);
        timer.scheduleWithFixedDelay(this::pollQuietly, 0, intervalMillis, TimeUnit.MILLISECONDS);
        LOG.info("watching s3://{}/{}*/inbox/ every {} ms, raising {} to {}", store.bucket(), TENANTS, intervalMillis, EventTypes.MELODY_UPLOADED, sink);
        return this;
    }

    /**
     * Lists the bucket once and raises an event for each inbox object version not handed on yet.
     *
     * @return how many events the sink accepted
     * @throws StorageUnavailableException when the store cannot be listed
     */
    public synchronized int poll() {
        if (handedOn == null) handedOn = markers();
        Set<String> present = new HashSet<>();
        int accepted = 0;
        for (ListedObject object : store.listObjects(TENANTS)) {
            String tenant = StorageLayout.inboxTenant(object.key());
            if (tenant == null) continue;
            String id = eventId(object.key(), object.eTag(), object.lastModified());
            present.add(id);
            if (handedOn.contains(id)) continue;
            Raised outcome = raise(tenant, object.key(), id);
            if (outcome == Raised.LATER) continue;
            if (outcome == Raised.ACCEPTED) accepted++;
            mark(id);
        }
        for (String gone : Set.copyOf(handedOn)) {
            if (!present.contains(gone)) unmark(gone);
        }
        return accepted;
    }

    private Set<String> markers() {
        Set<String> ids = ConcurrentHashMap.newKeySet();
        for (ListedObject marker : store.listObjects(MARKERS)) ids.add(marker.key().substring(MARKERS.length()));
        return ids;
    }

    /** Remembers an object version as handed on; if the marker cannot be written, a restart raises it again (same id, same job). */
    private void mark(String id) {
        handedOn.add(id);
        try {
            store.put(MARKERS + id, new byte[0], "application/octet-stream");
        } catch (StorageUnavailableException | SdkException e) {
            LOG.warn("cannot write the marker {}{} ({}); a restart raises that upload again", MARKERS, id, e.getMessage());
        }
    }

    private void unmark(String id) {
        try {
            store.delete(MARKERS + id);
            handedOn.remove(id);
        } catch (StorageUnavailableException | SdkException e) {
            LOG.warn("cannot delete the marker {}{} ({}); trying again on the next poll", MARKERS, id, e.getMessage());
        }
    }

    /** The event id of one object version: stable across restarts, different for every new upload. */
    public static String eventId(String key, String eTag, Instant lastModified) {
        try {
            String version = key + "\n" + eTag + "\n" + (lastModified == null ? "" : lastModified.toEpochMilli());
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(version.getBytes(StandardCharsets.UTF_8));
            return "inbox-" + HexFormat.of().formatHex(digest, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always there", e);
        }
    }

    private enum Raised { ACCEPTED, REFUSED, LATER }

    private Raised raise(String tenant, String key, String id) {
        try {
            byte[] data = MAPPER.writeValueAsBytes(CompletionRequest.upload(tenant, key));
            CloudEvent event = CloudEvent.json(EventTypes.MELODY_UPLOADED, SOURCE, id, key, data);
            HttpRequest.Builder request = event.post(sink, Duration.ofSeconds(10), signature);
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() / 100 == 2) {
                LOG.info("raised type={} id={} key={}", event.type(), id, key);
                return Raised.ACCEPTED;
            }
            if (response.statusCode() / 100 == 4) {
                return refused(tenant, key, id, "the event router refused its event with HTTP " + response.statusCode() + ": " + response.body().strip());
            }
            LOG.warn("the sink {} answered {} to the upload {} ({}); trying again on the next poll", sink, response.statusCode(), key, response.body().strip());
        } catch (IOException e) {
            LOG.warn("the sink {} cannot be reached for the upload {} ({}); trying again on the next poll", sink, key, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            return refused(tenant, key, id, "its event cannot be sent: " + e.getMessage());
        }
        return Raised.LATER;
    }

    private Raised refused(String tenant, String key, String id, String reason) {
        LOG.warn("skipped the upload {} (event {}): {}", key, id, reason);
        try {
            refusedUpload.refused(tenant, key, id, reason);
        } catch (RuntimeException e) {
            LOG.warn("cannot report the skipped upload {}: {}", key, e.toString());
        }
        return Raised.REFUSED;
    }

    private void pollQuietly() {
        try {
            poll();
            if (failing) LOG.info("s3://{} can be listed again", store.bucket());
            failing = false;
        } catch (StorageUnavailableException | SdkException e) {
            if (!failing) LOG.warn("s3://{} cannot be listed ({}); trying again every poll", store.bucket(), e.getMessage());
            failing = true;
        } catch (RuntimeException e) {
            LOG.error("the inbox poll failed", e);
        }
    }

    /** Stops polling; waits up to 10 s for a poll under way. */
    @Override
    public void close() {
        timer.shutdownNow();
        try {
            timer.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
