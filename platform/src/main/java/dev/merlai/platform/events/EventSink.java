package dev.merlai.platform.events;

import dev.merlai.events.EventSignature;
import dev.merlai.events.CloudEvent;
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
 * request was answered) to the broker in binary mode ({@link CloudEvent#headers()}): {@code merlai.events.sink}, which is {@code K_SINK} from a
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
 * {@link Handoff#failure()} the caller records on its job, so no job waits for an event that never comes. A caller that
 * must not wait (an HTTP request) uses {@link #offer} instead: one attempt, and a busy sink is its caller's 503.
 */
@ApplicationScoped
public class EventSink {

    private static final Logger LOG = Logger.getLogger(EventSink.class);

    /**
     * What became of an event.
     *
     * @param delivered         whether the sink took it
     * @param failure           why it was not handed on, or null when it was, or when no sink is configured
     * @param retryAfterSeconds when a busy or absent sink is worth trying again (its {@code Retry-After}, or the
     *                          backoff's first wait); 0 when it took the event or refused it for good
     */
    public record Handoff(boolean delivered, String failure, long retryAfterSeconds) {
    }

    /** One attempt's outcome: {@code handoff}, and whether a later try could succeed (then after {@code retryAfterMs}). */
    private record Attempt(Handoff handoff, boolean retryable, long retryAfterMs) {
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
        if (noSink(type, id, json)) return new Handoff(false, null, 0);
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        Attempt last = null;
        for (int attempt = 1; attempt <= attempts; attempt++) {
            last = attempt(type, source, id, subject, body);
            if (last.handoff().delivered() || !last.retryable()) break;
            LOG.warnf("event %s not taken by %s, attempt %d of %d: %s", id, sink.get(), attempt, attempts, last.handoff().failure());
            if (attempt < attempts && !sleep(Math.max(Math.min(last.retryAfterMs(), maxBackoffMs), backoffMs(attempt)))) {
                return new Handoff(false, "interrupted while sending the event", 0);
            }
        }
        if (last.handoff().delivered()) return last.handoff();
        String reason = "event " + type + " " + id + " not handed on after " + attempts + " attempt(s): " + last.handoff().failure();
        LOG.error(reason);
        return new Handoff(false, reason, 0);
    }

    /**
     * Offers the event to the sink once, for a caller that must not wait (an HTTP request): a busy or absent sink is
     * answered at once with {@link Handoff#retryAfterSeconds()}, so the caller can refuse with 503 and Retry-After and
     * the client retries, instead of a request thread held through {@link #send}'s backoff.
     */
    public Handoff offer(String type, String source, String id, String subject, String json) {
        if (noSink(type, id, json)) return new Handoff(false, null, 0);
        Attempt attempt = attempt(type, source, id, subject, json.getBytes(StandardCharsets.UTF_8));
        if (attempt.handoff().delivered()) return attempt.handoff();
        String reason = "event " + type + " " + id + " not handed on: " + attempt.handoff().failure();
        LOG.warn(reason);
        long retryAfterMs = Math.max(Math.min(attempt.retryAfterMs(), maxBackoffMs), firstBackoffMs);
        return new Handoff(false, reason, attempt.retryable() ? Math.max(1, (retryAfterMs + 999) / 1000) : 0);
    }

    private boolean noSink(String type, String id, String json) {
        if (sink.filter(s -> !s.isBlank()).isPresent()) return false;
        LOG.infof("event %s %s (no sink configured): %s", type, id, json);
        return true;
    }

    /** One delivery attempt: a 2xx is delivered; 5xx, 408, 429 and no connection may be tried again; another 4xx may not. */
    private Attempt attempt(String type, String source, String id, String subject, byte[] body) {
        try {
            HttpResponse<String> response = http.send(request(type, source, id, subject, body), HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status / 100 == 2) return new Attempt(new Handoff(true, null, 0), false, 0);
            String failure = "the event sink answered " + status + (response.body().isBlank() ? "" : " (" + response.body().strip() + ")");
            boolean retryable = !(status / 100 == 4 && status != 408 && status != 429);
            long retryAfterMs = response.headers().firstValue("Retry-After").map(EventSink::seconds).orElse(0L) * 1000;
            return new Attempt(new Handoff(false, failure, 0), retryable, retryAfterMs);
        } catch (IOException e) {
            return new Attempt(new Handoff(false, "the event sink cannot be reached (" + e + ")", 0), true, 0);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Attempt(new Handoff(false, "interrupted while sending the event", 0), false, 0);
        }
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
        HttpRequest.Builder builder = CloudEvent.json(type, source, id, subject, body)
                .post(URI.create(sink.get()), Duration.ofSeconds(10), secret.map(EventSignature::new).orElse(null));
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
