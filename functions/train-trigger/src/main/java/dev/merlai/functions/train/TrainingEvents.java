package dev.merlai.functions.train;

import com.fasterxml.jackson.databind.JsonNode;
import dev.merlai.events.EventTypes;
import dev.merlai.platform.events.EventSink;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Sends a training job's events ({@code dev.merlai.training.progress|completed|failed}, subject = the model id) to the
 * broker through the {@link EventSink}. They happen after the request that started the job was answered, so they
 * cannot be Funqy responses; the job record is the source of truth either way.
 */
@ApplicationScoped
public class TrainingEvents {

    @Inject
    EventSink sink;

    private final AtomicLong sequence = new AtomicLong();

    public void send(String type, String model, JsonNode data) {
        String id = model + "-" + type.substring(type.lastIndexOf('.') + 1) + "-" + sequence.incrementAndGet();
        sink.send(type, EventTypes.TRAIN_TRIGGER_SOURCE, id, model, data.toString());
    }
}
