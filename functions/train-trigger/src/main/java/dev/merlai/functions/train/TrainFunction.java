package dev.merlai.functions.train;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.merlai.events.EventTypes;
import dev.merlai.platform.http.InvalidRequestException;
import dev.merlai.platform.http.ProblemException;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventBuilder;
import io.quarkus.funqy.knative.events.CloudEventMapping;
import jakarta.inject.Inject;

/**
 * The {@code train-trigger} function: a thin adapter from {@code dev.merlai.training.requested} to {@link Trainings}.
 * An accepted request is answered with {@code dev.merlai.training.progress} (state {@code queued}); a set that cannot
 * be trained on or a tenant at its limit with {@code dev.merlai.training.failed} carrying the reasons, not an error,
 * so the broker does not retry what cannot succeed. A malformed request is a 400.
 */
public class TrainFunction {

    @Inject
    Trainings trainings;

    @Funq("train-trigger")
    @CloudEventMapping(trigger = EventTypes.TRAINING_REQUESTED, responseType = EventTypes.TRAINING_PROGRESS,
            responseSource = EventTypes.TRAIN_TRIGGER_SOURCE)
    public CloudEvent<ObjectNode> train(CloudEvent<TrainRequest> event) throws InvalidRequestException {
        try {
            TrainingJob job = trainings.start(event.source(), event.id(), event.data());
            return answer(EventTypes.TRAINING_PROGRESS, job.model(), job.toNode());
        } catch (ProblemException e) {
            ObjectNode problem = com.fasterxml.jackson.databind.json.JsonMapper.builder().build().createObjectNode()
                    .put("state", "failed").put("status", e.status()).put("type", e.type()).put("error", e.getMessage());
            e.extensions().forEach((name, value) -> problem.set(name, problem.pojoNode(value)));
            String model = String.valueOf(e.extensions().getOrDefault("model", ""));
            return answer(EventTypes.TRAINING_FAILED, model, problem);
        }
    }

    private static CloudEvent<ObjectNode> answer(String type, String model, ObjectNode data) {
        return CloudEventBuilder.create().type(type).source(EventTypes.TRAIN_TRIGGER_SOURCE).id(model + "-accepted")
                .subject(model).build(data);
    }
}
