package dev.merlai.functions.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.merlai.events.EventTypes;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends a training job's events ({@code dev.merlai.training.progress|completed|failed}, subject = the model id) to the
 * broker as binary-mode CloudEvents: {@code merlai.events.sink} (env {@code K_SINK} from a Knative SinkBinding, or the
 * local event router). They happen after the request that started the job was answered, so they cannot be Funqy
 * responses. Without a sink the events are only logged; the job record is the source of truth either way.
 */
@ApplicationScoped
public class TrainingEvents {

    private static final Logger LOG = Logger.getLogger(TrainingEvents.class);
    private static final int ATTEMPTS = 3;

    @ConfigProperty(name = "merlai.events.sink")
    Optional<String> sink;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final AtomicLong sequence = new AtomicLong();

    public void send(String type, String model, JsonNode data) {
        String id = model + "-" + type.substring(type.lastIndexOf('.') + 1) + "-" + sequence.incrementAndGet();
        if (sink.filter(s -> !s.isBlank()).isEmpty()) {
            LOG.infof("event %s %s (no sink configured): %s", type, id, data);
            return;
        }
        HttpRequest request = HttpRequest.newBuilder(URI.create(sink.get())).timeout(Duration.ofSeconds(10))
                .header("ce-specversion", "1.0").header("ce-id", id).header("ce-type", type)
                .header("ce-source", EventTypes.TRAIN_TRIGGER_SOURCE).header("ce-subject", model)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(data.toString())).build();
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                if (status / 100 == 2) return;
                LOG.warnf("event %s refused by %s with %d (attempt %d)", id, sink.get(), status, attempt);
            } catch (IOException e) {
                LOG.warnf("event %s not delivered to %s: %s (attempt %d)", id, sink.get(), e.getMessage(), attempt);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
