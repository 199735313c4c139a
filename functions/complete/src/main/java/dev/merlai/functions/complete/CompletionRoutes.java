package dev.merlai.functions.complete;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merlai.events.ArrangementCompleted;
import dev.merlai.events.CompletionRequest;
import dev.merlai.events.EventTypes;
import dev.merlai.platform.events.EventSink;
import dev.merlai.platform.http.RequestNames;
import dev.merlai.platform.http.ProblemException;
import dev.merlai.platform.http.RequestBodies;
import dev.merlai.platform.tenancy.ApiKeyGuard;
import dev.merlai.tenancy.Tenant;
import dev.merlai.storage.JobRecord;
import dev.merlai.storage.JobState;
import dev.merlai.storage.JobStore;
import dev.merlai.storage.StorageLayout;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.io.IOException;
import java.time.Instant;
import java.util.Map;

/**
 * Plain HTTP for direct callers, beside the CloudEvent binding: {@code POST /v1/completions} completes
 * synchronously (an {@code Idempotency-Key} header makes a retried request find its job), and
 * {@code GET /v1/jobs/{job}} reports a job's state with pre-signed, expiring links to its results, and
 * {@code GET /v1/jobs[?input=KEY]} lists the tenant's jobs. Every route acts for the tenant of the caller's API key
 * ({@link ApiKeyGuard}); another tenant's job is simply not there (404).
 */
@ApplicationScoped
public class CompletionRoutes {

    /** The event source of HTTP jobs, per tenant: one tenant's Idempotency-Key never finds another's job. */
    static final String SOURCE = "/merlai/http/";
    public static final String HANDOFF_BUSY_TYPE = "https://merlai.dev/problems/busy";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Inject
    Completions completions;

    @Inject
    JobStore jobs;

    @Inject
    EventSink events;

    @ConfigProperty(name = "merlai.links.ttl-minutes", defaultValue = "15")
    long linkMinutes;

    @ConfigProperty(name = "quarkus.http.limits.max-body-size", defaultValue = "8M")
    String maxBody;

    void install(@Observes Router router) {
        router.post("/v1/completions").handler(bodyHandler()).blockingHandler(this::complete, false);
        router.get("/v1/jobs").blockingHandler(this::jobs, false);
        router.get("/v1/jobs/:job").blockingHandler(this::job, false);
    }

    private void complete(RoutingContext context) {
        try {
            CompletionRequest request = RequestBodies.read(context, CompletionRequest.class, "a completion request");
            Tenant caller = ApiKeyGuard.ownTenant(context, request.tenant);
            if (request.key != null) Completions.ownKey(caller.id(), request.key);
            String idempotencyKey = context.request().getHeader("Idempotency-Key");
            CompletionResult result = completions.complete(SOURCE + caller.id(), idempotencyKey, caller, request);
            announce(context, result);
            context.response().putHeader("Content-Type", "application/json").end(MAPPER.writeValueAsString(result));
        } catch (Exception e) {
            context.fail(e);
        }
    }

    /**
     * Sends the job on, as an upload's job goes on through the broker: {@code dev.merlai.arrangement.completed} (the job
     * and its report, {@link ArrangementCompleted}) to the event sink, so recommend-plugin and render-midi finish it. The same job announced
     * again (a retried request) has the same event id, and every consumer is idempotent. The request thread does not
     * wait out a busy sink: one offer, and a job the sink would not take is failed with the reason and the request
     * refused with 503 and Retry-After ({@value #HANDOFF_BUSY_TYPE}); the client's retry with the same Idempotency-Key
     * finds the arrangement stored (not billed again), offers it again and, once taken, puts the job back to rendering.
     *
     * @return the job as the handoff left it
     */
    JobRecord announce(RoutingContext context, CompletionResult result) throws IOException, ProblemException {
        ArrangementCompleted completed = result.completed();
        EventSink.Handoff handoff = events.offer(EventTypes.ARRANGEMENT_COMPLETED, EventTypes.COMPLETE_SOURCE, completed.job() + "-arranged", completed.job(),
                MAPPER.writeValueAsString(completed));
        JobRecord job = jobs.find(completed.tenant(), completed.job()).orElseThrow(() -> new IllegalStateException("job " + completed.job() + " was just stored"));
        if (handoff.failure() == null) {
            if (job.state() != JobState.FAILED) return job;
            JobRecord resumed = job.advance(JobState.RENDERING, Instant.now());
            jobs.save(resumed);
            return resumed;
        }
        String reason = "the arrangement is stored, but it could not be handed on to plugin recommendation and rendering: " + handoff.failure();
        JobRecord failed = job.failed(reason, Instant.now());
        jobs.save(failed);
        if (handoff.retryAfterSeconds() == 0) return failed; // refused for good: the job says why
        context.response().putHeader("Retry-After", Long.toString(handoff.retryAfterSeconds()));
        throw new ProblemException(503, HANDOFF_BUSY_TYPE, "Busy", reason + "; retry with the same Idempotency-Key (the arrangement is not billed again)",
                Map.of("job", completed.job()));
    }

    /** The tenant's jobs, newest first; {@code ?input=KEY} keeps those made from one upload. */
    private void jobs(RoutingContext context) {
        try {
            String tenant = ApiKeyGuard.ownTenantId(context);
            String input = context.queryParams().get("input");
            java.util.List<JobRecord> found = new java.util.ArrayList<>();
            for (String key : jobs.objects().list("tenants/" + tenant + "/results/")) {
                if (!key.endsWith("/" + StorageLayout.JOB)) continue;
                jobs.objects().get(key).map(JobRecord::fromJson).filter(j -> input == null || input.equals(j.input())).ifPresent(found::add);
            }
            found.sort(java.util.Comparator.comparing(JobRecord::createdAt).reversed());
            var body = MAPPER.createObjectNode();
            var list = body.putArray("jobs");
            for (JobRecord job : found) list.add(MAPPER.readTree(job.toJson()));
            context.response().putHeader("Content-Type", "application/json").end(MAPPER.writeValueAsString(body));
        } catch (Exception e) {
            context.fail(e);
        }
    }

    private void job(RoutingContext context) {
        try {
            String tenant = ApiKeyGuard.ownTenantId(context);
            String job = RequestNames.checked("job", context.pathParam("job"));
            JobRecord record = jobs.find(tenant, job).orElse(null);
            if (record == null) {
                context.response().setStatusCode(404).putHeader("Content-Type", "application/problem+json")
                        .end("{\"type\":\"https://merlai.dev/problems/no-such-job\",\"title\":\"No such job\",\"status\":404,\"detail\":\"no job "
                                + job + " for tenant " + tenant + "\"}");
                return;
            }
            var body = (com.fasterxml.jackson.databind.node.ObjectNode) MAPPER.readTree(record.toJson());
            var links = body.putObject("links");
            for (String file : record.files()) {
                links.put(file, jobs.objects().presignGet(StorageLayout.result(tenant, job, file), java.time.Duration.ofMinutes(linkMinutes)).toString());
            }
            context.response().putHeader("Content-Type", "application/json").end(MAPPER.writeValueAsString(body));
        } catch (Exception e) {
            context.fail(e);
        }
    }

    /** Reads a request body up to the HTTP limit ({@code quarkus.http.limits.max-body-size}), for this and the batch route. */
    BodyHandler bodyHandler() {
        return BodyHandler.create().setBodyLimit(bytes(maxBody));
    }

    /** Parses sizes like {@code 8M} or {@code 512K}. */
    static long bytes(String size) {
        String s = size.trim().toUpperCase(java.util.Locale.ROOT);
        long unit = s.endsWith("K") ? 1 << 10 : s.endsWith("M") ? 1 << 20 : s.endsWith("G") ? 1 << 30 : 1;
        return Long.parseLong(unit == 1 ? s : s.substring(0, s.length() - 1)) * unit;
    }
}
