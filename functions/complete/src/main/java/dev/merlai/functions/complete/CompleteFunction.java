package dev.merlai.functions.complete;

import dev.merlai.events.ArrangementCompleted;
import dev.merlai.events.CompletionRequest;
import dev.merlai.events.EventTypes;
import dev.merlai.platform.http.InvalidRequestException;
import dev.merlai.platform.http.ProblemException;
import dev.merlai.platform.tenancy.EventTenants;
import io.quarkus.funqy.Funq;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventBuilder;
import io.quarkus.funqy.knative.events.CloudEventMapping;
import jakarta.inject.Inject;

/**
 * The {@code complete} function: a thin adapter from a CloudEvent ({@code dev.merlai.melody.uploaded}, or a
 * plain HTTP POST to {@code /complete}) to {@link Completions}, answering with
 * {@code dev.merlai.arrangement.completed} whose subject is the job id; the arrangement stays in storage, also when the
 * request asks for it inline, so the answer stays small for the broker ({@link ArrangementCompleted}). Events come from the broker inside the
 * cluster (an upload to a tenant's inbox): they carry no API key, only the sender's proof that
 * {@link dev.merlai.platform.events.EventAuthFilter} checked, and are billed to the tenant whose objects hold the key,
 * which must have been created ({@link EventTenants#uploader}); naming another tenant's object is a 403.
 */
public class CompleteFunction {

    @Inject
    Completions completions;

    @Inject
    EventTenants tenants;

    @Funq("complete")
    @CloudEventMapping(trigger = EventTypes.MELODY_UPLOADED, responseType = EventTypes.ARRANGEMENT_COMPLETED,
            responseSource = EventTypes.COMPLETE_SOURCE)
    public CloudEvent<ArrangementCompleted> complete(CloudEvent<CompletionRequest> event) throws InvalidRequestException, ProblemException {
        CompletionRequest request = event.data();
        if (request == null) throw new InvalidRequestException("", "the event has no data");
        ArrangementCompleted completed = completions.completeUpload(event.source(), event.id(), tenants.uploader(request.tenant, request.key, Completions.READABLE_AREAS), request)
                .completed();
        return CloudEventBuilder.create()
                .type(EventTypes.ARRANGEMENT_COMPLETED)
                .source(EventTypes.COMPLETE_SOURCE)
                .id(completed.job() + "-arranged")
                .subject(completed.job())
                .build(completed);
    }
}
