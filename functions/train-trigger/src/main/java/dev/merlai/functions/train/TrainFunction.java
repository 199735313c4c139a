package dev.merlai.functions.train;

import dev.merlai.events.TrainRequest;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.merlai.events.EventTypes;
import dev.merlai.platform.http.InvalidRequestException;
import dev.merlai.platform.http.ProblemException;
import dev.merlai.platform.http.ProblemResponses;
import dev.merlai.platform.tenancy.EventTenants;
import dev.merlai.tenancy.limits.QuotaExceededException;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventBuilder;
import io.quarkus.funqy.knative.events.CloudEventMapping;
import jakarta.inject.Inject;

/**
 * The {@code train-trigger} function: a thin adapter from {@code dev.merlai.training.requested} to {@link Trainings}.
 * An accepted request is answered with {@code dev.merlai.training.progress} (state {@code queued}); a set that cannot
 * be trained on, a tenant at its limit or with its training quota used up with {@code dev.merlai.training.failed}
 * carrying the reasons, not an error, so the broker does not retry what cannot succeed. The event names its tenant,
 * which must exist and be active, and its subject the training set's folder of that tenant ({@link EventTenants#trainer});
 * a malformed request or an unknown tenant is a 400, a subject of another tenant's set a 403.
 */
public class TrainFunction {

    @Inject
    Trainings trainings;

    @Inject
    EventTenants tenants;

    @Funq("train-trigger")
    @CloudEventMapping(trigger = EventTypes.TRAINING_REQUESTED, responseType = EventTypes.TRAINING_PROGRESS,
            responseSource = EventTypes.TRAIN_TRIGGER_SOURCE)
    public CloudEvent<ObjectNode> train(CloudEvent<TrainRequest> event) throws InvalidRequestException, ProblemException {
        TrainRequest request = event.data();
        if (request == null) throw new InvalidRequestException("", "the event has no data");
        var tenant = tenants.trainer(request.tenant, request.set, event.subject()); // a 403 here is the sender's, not a training failure
        try {
            TrainingJob job = trainings.start(event.source(), event.id(), tenant, request);
            return answer(EventTypes.TRAINING_PROGRESS, job.model(), job.toNode());
        } catch (ProblemException e) {
            ObjectNode problem = failed(e.status(), e.type(), e.getMessage());
            e.extensions().forEach((name, value) -> problem.set(name, problem.pojoNode(value)));
            String model = String.valueOf(e.extensions().getOrDefault("model", ""));
            return answer(EventTypes.TRAINING_FAILED, model, problem);
        } catch (QuotaExceededException e) {
            ObjectNode problem = failed(402, ProblemResponses.QUOTA_EXCEEDED_TYPE, e.getMessage())
                    .put("unit", e.unit().id()).put("used", e.used()).put("quota", e.quota()).put("resetsAt", e.resetsAt().toString());
            return answer(EventTypes.TRAINING_FAILED, "", problem);
        }
    }

    private static ObjectNode failed(int status, String type, String error) {
        return JsonNodeFactory.instance.objectNode().put("state", "failed").put("status", status).put("type", type).put("error", error);
    }

    private static CloudEvent<ObjectNode> answer(String type, String model, ObjectNode data) {
        return CloudEventBuilder.create().type(type).source(EventTypes.TRAIN_TRIGGER_SOURCE).id(model + "-accepted")
                .subject(model).build(data);
    }
}
