package dev.merlai.platform.events;

import dev.merlai.events.EventSignature;
import dev.merlai.events.HeaderValues;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Sends a CloudEvent that is not the answer to an incoming event (work started over HTTP, or finished after its
 * request was answered) to the broker in binary mode: {@code merlai.events.sink}, which is {@code K_SINK} from a
 * Knative SinkBinding in the cluster and the local event router under {@code merlai serve}. Without a sink the event is
 * only logged (the stored job record stays the source of truth either way). Each event proves its sender as the event
 * routes expect ({@link EventAuthFilter}): signed with {@code merlai.events.secret} on one machine, and in a cluster with
 * the service-account token in {@code merlai.events.sink-token-file} (a projected token for the broker's audience), read
 * anew for each attempt because the kubelet rotates it.
 *
 * <p>A sink that is busy or away (5xx, 408, 429, no connection) is tried again, {@code merlai.events.attempts} times in
 * all, with exponential backoff and jitter: the n-th wait is a random time between half and all of
 * {@code first-backoff-ms * 2^(n-1)}, capped at {@code max-backoff-ms}, and never shorter than the sink's
 * {@code Retry-After} (up to that cap). A 4xx (the event is bad) is not tried again. What could not be handed on is a
 * {@link Handoff#failure()} the caller records on its job, so no job waits for an event that never comes.
 */
@ApplicationScoped
public class EventSink {

    private static final Logger LOG = Logger.getLogger(EventSink.class);

    /**
     * What became of an event.
     *
     * @param delivered whether the sink took it
     * @param failure   why it was not handed on, or null when it was, or when no sink is configured
     */
    public record Handoff(boolean delivered, String failure) {
    }

    @ConfigProperty(name = "merlai.events.sink")
    Optional<String> sink;

    @ConfigProperty(name = "merlai.events.secret")
    Optional<String> secret;

    @ConfigProperty(name = "merlai.events.sink-token-file")
    Optional<Path> tokenFile;

    @ConfigProperty(name = "merlai.events.attempts", defaultValue = "8")
    int attempts;

    @ConfigProperty(name = "merlai.events.first-backoff-ms", defaultValue = "250")
    long firstBackoffMs;

    @ConfigProperty(name = "merlai.events.max-backoff-ms", defaultValue = "10000")
    long maxBackoffMs;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param id      the event id: the same id for the same fact, so the broker's consumers can deduplicate
     * @param subject the job or model the event is about
     * @param json    the data, a JSON document
     */
    public Handoff send(String type, String source, String id, String subject, String json) {
        if (sink.filter(s -> !s.isBlank()).isEmpty()) {
            LOG.infof("event %s %s (no sink configured): %s", type, id, json);
            return new Handoff(false, null);
        }
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        String failure = "not tried";
        for (int attempt = 1; attempt <= attempts; attempt++) {
            long retryAfterMs = 0;
            try {
                HttpResponse<String> response = http.send(request(type, source, id, subject, body), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status / 100 == 2) return new Handoff(true, null);
                failure = "the event sink answered " + status + (response.body().isBlank() ? "" : " (" + response.body().strip() + ")");
                if (status / 100 == 4 && status != 408 && status != 429) break;
                retryAfterMs = response.headers().firstValue("Retry-After").map(EventSink::seconds).orElse(0L) * 1000;
            } catch (IOException e) {
                failure = "the event sink cannot be reached (" + e + ")";
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return new Handoff(false, "interrupted while sending the event");
            }
            LOG.warnf("event %s not taken by %s, attempt %d of %d: %s", id, sink.get(), attempt, attempts, failure);
            if (attempt < attempts && !sleep(Math.max(Math.min(retryAfterMs, maxBackoffMs), backoffMs(attempt)))) {
                return new Handoff(false, "interrupted while sending the event");
            }
        }
        String reason = "event " + type + " " + id + " not handed on after " + attempts + " attempt(s): " + failure;
        LOG.error(reason);
        return new Handoff(false, reason);
    }

    /** The wait after attempt {@code attempt}: between half and all of the doubled backoff, so senders spread out. */
    long backoffMs(int attempt) {
        long doubled = Math.min(maxBackoffMs, firstBackoffMs << Math.min(attempt - 1, 20));
        return doubled / 2 + ThreadLocalRandom.current().nextLong(doubled / 2 + 1);
    }

    private static long seconds(String retryAfter) {
        try {
            return Math.max(0, Long.parseLong(retryAfter.strip()));
        } catch (NumberFormatException httpDate) {
            return 1;
        }
    }

    private static boolean sleep(long millis) {
        try {
            Thread.sleep(millis);
            return true;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** The request for one attempt: signed and with the sink token as of now (a retry much later must not carry a stale proof). */
    private HttpRequest request(String type, String source, String id, String subject, byte[] body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(sink.get())).timeout(Duration.ofSeconds(10))
                .header("ce-specversion", "1.0").header("ce-id", id).header("ce-type", type)
                .header("ce-source", HeaderValues.encode(source)).header("ce-subject", HeaderValues.encode(subject))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(body));
        if (secret.isPresent()) builder.header(EventSignature.HEADER, new EventSignature(secret.get()).sign(id, source, type, subject, body));
        if (tokenFile.isPresent()) {
            try {
                builder.header("Authorization", "Bearer " + Files.readString(tokenFile.get()).strip());
            } catch (IOException e) {
                LOG.warnf("event %s: the sink token %s cannot be read (%s); sending without it", id, tokenFile.get(), e.getMessage());
            }
        }
        return builder.build();
    }
}
