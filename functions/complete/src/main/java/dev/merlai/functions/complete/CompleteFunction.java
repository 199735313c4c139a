package dev.merlai.functions.complete;

import dev.merlai.events.EventTypes;
import dev.merlai.platform.http.InvalidRequestException;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventBuilder;
import io.quarkus.funqy.knative.events.CloudEventMapping;
import jakarta.inject.Inject;

/**
 * The {@code complete} function: a thin adapter from a CloudEvent ({@code dev.merlai.melody.uploaded}, or a
 * plain HTTP POST to {@code /complete}) to {@link Completions}, answering with
 * {@code dev.merlai.arrangement.completed} whose subject is the job id.
 */
public class CompleteFunction {

    @Inject
    Completions completions;

    @Funq("complete")
    @CloudEventMapping(trigger = EventTypes.MELODY_UPLOADED, responseType = EventTypes.ARRANGEMENT_COMPLETED,
            responseSource = EventTypes.COMPLETE_SOURCE)
    public CloudEvent<CompletionResult> complete(CloudEvent<CompletionRequest> event) throws InvalidRequestException {
        CompletionResult result = completions.complete(event.source(), event.id(), event.data());
        return CloudEventBuilder.create()
                .type(EventTypes.ARRANGEMENT_COMPLETED)
                .source(EventTypes.COMPLETE_SOURCE)
                .id(result.job + "-arranged")
                .subject(result.job)
                .build(result);
    }
}
