package dev.merlai.platform.events;

import dev.merlai.events.EventSignature;
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

/**
 * Sends a CloudEvent that is not the answer to an incoming event (work started over HTTP, or finished after its
 * request was answered) to the broker in binary mode: {@code merlai.events.sink}, which is {@code K_SINK} from a
 * Knative SinkBinding in the cluster and the local event router under {@code merlai serve}. Tried a few times; without
 * a sink the event is only logged (the stored job record stays the source of truth either way). Each event proves its
 * sender as the event routes expect ({@link EventAuthFilter}): signed with {@code merlai.events.secret} on one machine,
 * and in a cluster with the service-account token in {@code merlai.events.sink-token-file} (a projected token for the
 * broker's audience), read anew for each event because the kubelet rotates it.
 */
@ApplicationScoped
public class EventSink {

    private static final Logger LOG = Logger.getLogger(EventSink.class);
    private static final int ATTEMPTS = 3;

    @ConfigProperty(name = "merlai.events.sink")
    Optional<String> sink;

    @ConfigProperty(name = "merlai.events.secret")
    Optional<String> secret;

    @ConfigProperty(name = "merlai.events.sink-token-file")
    Optional<Path> tokenFile;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * @param id      the event id: the same id for the same fact, so the broker's consumers can deduplicate
     * @param subject the job or model the event is about
     * @param json    the data, a JSON document
     * @return whether the sink took it (false also when no sink is configured)
     */
    public boolean send(String type, String source, String id, String subject, String json) {
        if (sink.filter(s -> !s.isBlank()).isEmpty()) {
            LOG.infof("event %s %s (no sink configured): %s", type, id, json);
            return false;
        }
        byte[] body = json.getBytes(StandardCharsets.UTF_8);
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                int status = http.send(request(type, source, id, subject, body), HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status / 100 == 2) return true;
                LOG.warnf("event %s refused by %s with %d (attempt %d)", id, sink.get(), status, attempt);
            } catch (IOException e) {
                LOG.warnf("event %s not delivered to %s: %s (attempt %d)", id, sink.get(), e.getMessage(), attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }

    /** The request for one attempt: signed and with the sink token as of now (a retry much later must not carry a stale proof). */
    private HttpRequest request(String type, String source, String id, String subject, byte[] body) {
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(sink.get())).timeout(Duration.ofSeconds(10))
                .header("ce-specversion", "1.0").header("ce-id", id).header("ce-type", type)
                .header("ce-source", source).header("ce-subject", subject)
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
