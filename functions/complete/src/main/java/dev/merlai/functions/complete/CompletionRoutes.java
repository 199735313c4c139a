package dev.merlai.functions.complete;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merlai.events.EventTypes;
import dev.merlai.platform.events.EventSink;
import dev.merlai.platform.http.InvalidRequestException;
import dev.merlai.platform.http.RequestBodies;
import dev.merlai.platform.tenancy.ApiKeyGuard;
import dev.merlai.tenancy.Tenant;
import dev.merlai.storage.JobRecord;
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
        router.post("/v1/completions").handler(BodyHandler.create().setBodyLimit(bytes(maxBody))).blockingHandler(this::complete, false);
        router.get("/v1/jobs").blockingHandler(this::jobs, false);
        router.get("/v1/jobs/:job").blockingHandler(this::job, false);
    }

    private void complete(RoutingContext context) {
        try {
            CompletionRequest request = RequestBodies.read(context, CompletionRequest.class, "a completion request");
            Tenant caller = ApiKeyGuard.ownTenant(context, request.tenant);
            String idempotencyKey = context.request().getHeader("Idempotency-Key");
            CompletionResult result = completions.complete(SOURCE + caller.id(), idempotencyKey, caller, request);
            announce(result);
            context.response().putHeader("Content-Type", "application/json").end(MAPPER.writeValueAsString(result));
        } catch (Exception e) {
            context.fail(e);
        }
    }

    /**
     * Sends the job on, as an upload's job goes on through the broker: {@code dev.merlai.arrangement.completed} (without
     * the inline arrangement) to the event sink, so recommend-plugin and render-midi finish it. The same job announced
     * again (a retried request) has the same event id, and every consumer is idempotent. A job the sink would not take
     * (after the sink's retries) is failed with the reason, so it does not wait for a rendering that never comes.
     */
    private void announce(CompletionResult result) throws IOException {
        var data = MAPPER.valueToTree(result);
        ((com.fasterxml.jackson.databind.node.ObjectNode) data).remove("arrangement");
        EventSink.Handoff handoff = events.send(EventTypes.ARRANGEMENT_COMPLETED, EventTypes.COMPLETE_SOURCE, result.job + "-arranged", result.job,
                MAPPER.writeValueAsString(data));
        if (handoff.failure() != null) {
            jobs.find(result.tenant, result.job).ifPresent(job -> jobs.save(job.failed("the arrangement is stored, but it could not be handed on "
                    + "to plugin recommendation and rendering: " + handoff.failure(), java.time.Instant.now())));
        }
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
            String job = context.pathParam("job");
            try {
                StorageLayout.checkName("job", job);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException("job", e.getMessage());
            }
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

    /** Parses sizes like {@code 8M} or {@code 512K}. */
    static long bytes(String size) {
        String s = size.trim().toUpperCase(java.util.Locale.ROOT);
        long unit = s.endsWith("K") ? 1 << 10 : s.endsWith("M") ? 1 << 20 : s.endsWith("G") ? 1 << 30 : 1;
        return Long.parseLong(unit == 1 ? s : s.substring(0, s.length() - 1)) * unit;
    }
}
