package dev.merlai.functions.train;

import dev.merlai.events.TrainRequest;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merlai.platform.http.InvalidRequestException;
import dev.merlai.platform.http.ProblemResponses;
import dev.merlai.platform.http.RequestBodies;
import dev.merlai.platform.tenancy.ApiKeyGuard;
import dev.merlai.storage.ObjectStore;
import dev.merlai.storage.StorageLayout;
import dev.merlai.tenancy.Tenant;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;


/**
 * Plain HTTP beside the CloudEvent binding. {@code POST /v1/training} ({@link TrainRequest}; an
 * {@code Idempotency-Key} header makes a retry find its job) answers 202 with the job; {@code GET /v1/training/{model}}
 * is the job's state and progress; {@code DELETE /v1/training/{model}} cancels it; {@code GET /v1/models} lists the
 * tenant's jobs and models; {@code PUT /v1/training-sets/{set}/{file}} adds a piece to a set. Every route acts for the
 * tenant of the API key ({@link ApiKeyGuard}): another tenant's job or model is simply not there (404), and a
 * {@code ?tenant=} or body {@code tenant} naming another tenant is refused (400).
 */
@ApplicationScoped
public class TrainingRoutes {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final String SOURCE = "/merlai/http";
    /** The largest piece accepted over HTTP (the readers' own limits apply inside it). */
    static final int PIECE_LIMIT = 8 * 1024 * 1024;
    static final String UNSUPPORTED_TYPE = "https://merlai.dev/problems/unsupported-media-type";

    @Inject
    Trainings trainings;

    @Inject
    TrainingSets sets;

    @Inject
    ObjectStore store;

    void install(@Observes Router router) {
        router.post("/v1/training").handler(BodyHandler.create().setBodyLimit(64 * 1024)).blockingHandler(this::start, false);
        router.get("/v1/training/:model").blockingHandler(this::status, false);
        router.delete("/v1/training/:model").blockingHandler(this::cancel, false);
        router.get("/v1/models").blockingHandler(this::list, false);
        router.put("/v1/training-sets/:set/:file").handler(BodyHandler.create().setBodyLimit(PIECE_LIMIT)).blockingHandler(this::upload, false)
                .failureHandler(TrainingRoutes::formNotFile);
    }

    /**
     * A piece is the file's own bytes. Sent as a form (curl's default for {@code -d}/{@code --data-binary}), the body is
     * also decoded as form fields before any route runs: a file that decodes is uploaded as the bytes it is, one that
     * does not (most binary files) fails there, and is answered here with a 415 that says how to send the file.
     */
    private static void formNotFile(RoutingContext context) {
        String type = context.request().getHeader("Content-Type");
        if (context.response().headWritten() || type == null || !(type.startsWith("application/x-www-form-urlencoded") || type.startsWith("multipart/"))) {
            context.next();
            return;
        }
        ProblemResponses.send(context, 415, new JsonObject().put("type", UNSUPPORTED_TYPE).put("title", "Unsupported media type").put("status", 415)
                .put("detail", "a piece is sent as the file itself, not as a form (" + type + "): curl -T song.mid, or --data-binary @song.mid "
                        + "-H 'Content-Type: application/octet-stream'").put("field", "Content-Type"));
    }

    private void start(RoutingContext context) {
        try {
            TrainRequest request = RequestBodies.read(context, TrainRequest.class, "a training request");
            Tenant caller = ApiKeyGuard.ownTenant(context, request.tenant);
            TrainingJob job = trainings.start(SOURCE, context.request().getHeader("Idempotency-Key"), caller, request);
            context.response().setStatusCode(202).putHeader("Content-Type", "application/json").end(job.toNode().toString());
        } catch (Exception e) {
            context.fail(e);
        }
    }

    /**
     * A piece posted to a training set instead of uploaded to the bucket: checked at once like every file of a set
     * (201 with its report, stored under {@code tenants/<tenant>/training/<set>/<file>}), or a 400 naming why it cannot
     * be trained on (and not stored).
     */
    private void upload(RoutingContext context) {
        try {
            String tenant = tenant(context);
            String set = context.pathParam("set");
            String file = context.pathParam("file");
            String key;
            try {
                key = StorageLayout.trainingSet(tenant, set) + StorageLayout.checkName("file", file);
            } catch (IllegalArgumentException e) {
                throw new InvalidRequestException(e.getMessage().startsWith("set") ? "set" : "file", e.getMessage());
            }
            byte[] bytes = RequestBodies.bytes(context);
            PieceReport report = sets.check(file, bytes).report();
            if (!report.accepted()) throw new InvalidRequestException("body", file + ": " + report.reason());
            store.put(key, bytes, "application/octet-stream");
            var body = MAPPER.createObjectNode().put("key", key).put("file", file).put("accepted", true).put("bars", report.bars());
            context.response().setStatusCode(201).putHeader("Content-Type", "application/json").end(body.toString());
        } catch (Exception e) {
            context.fail(e);
        }
    }

    private void status(RoutingContext context) {
        try {
            String tenant = tenant(context);
            String model = context.pathParam("model");
            TrainingJob job = trainings.find(tenant, model).orElseThrow(() -> Trainings.noSuchModel(tenant, model));
            context.response().putHeader("Content-Type", "application/json").end(job.toNode().toString());
        } catch (Exception e) {
            context.fail(e);
        }
    }

    private void cancel(RoutingContext context) {
        try {
            TrainingJob job = trainings.cancel(tenant(context), context.pathParam("model"));
            context.response().putHeader("Content-Type", "application/json").end(job.toNode().toString());
        } catch (Exception e) {
            context.fail(e);
        }
    }

    private void list(RoutingContext context) {
        try {
            var body = MAPPER.createObjectNode();
            var models = body.putArray("models");
            for (TrainingJob job : trainings.list(tenant(context))) models.add(job.toNode());
            context.response().putHeader("Content-Type", "application/json").end(body.toString());
        } catch (Exception e) {
            context.fail(e);
        }
    }

    private static String tenant(RoutingContext context) throws InvalidRequestException {
        return ApiKeyGuard.ownTenantId(context);
    }
}
