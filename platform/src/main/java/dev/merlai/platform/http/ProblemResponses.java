package dev.merlai.platform.http;

import dev.merlai.storage.StorageUnavailableException;
import dev.merlai.tenancy.RedisUnavailableException;
import dev.merlai.tenancy.limits.QuotaExceededException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import java.time.Duration;
import java.time.Instant;

/**
 * Turns failures into {@code application/problem+json} (RFC 9457) answers: a caller's mistake is a 400
 * naming the field; storage that is down is a 503 with Retry-After, so an HTTP caller comes back later and
 * the event broker retries (nothing accepted is lost), and so are usage reads while Redis is down; a spent monthly quota is a 402 (Payment Required: more
 * units need a bigger plan or the next month; 429 stays for the request rate) with Retry-After until the quota
 * resets. Other failures keep Quarkus' default 500.
 */
@ApplicationScoped
public class ProblemResponses {

    public static final String INVALID_REQUEST_TYPE = "https://merlai.dev/problems/invalid-request";
    public static final String UNAVAILABLE_TYPE = "https://merlai.dev/problems/storage-unavailable";
    public static final String USAGE_UNAVAILABLE_TYPE = "https://merlai.dev/problems/usage-unavailable";
    public static final String QUOTA_EXCEEDED_TYPE = "https://merlai.dev/problems/quota-exceeded";
    public static final String TOO_LARGE_TYPE = "https://merlai.dev/problems/too-large";
    public static final String NOT_FOUND_TYPE = "https://merlai.dev/problems/not-found";
    public static final String METHOD_NOT_ALLOWED_TYPE = "https://merlai.dev/problems/method-not-allowed";
    static final int RETRY_AFTER_SECONDS = 5;

    void install(@Observes Router router) {
        router.route().order(-1000).failureHandler(this::handle);
        // What no route answers: a path no route has, or a method a path does not take (Vert.x' defaults are HTML or empty).
        router.errorHandler(404, context -> send(context, 404, statusProblem(NOT_FOUND_TYPE, "Not found", 404, "there is no " + context.request().path())));
        router.errorHandler(405, context -> send(context, 405, statusProblem(METHOD_NOT_ALLOWED_TYPE, "Method not allowed", 405,
                context.request().method() + " is not allowed on " + context.request().path())));
    }

    private static JsonObject statusProblem(String type, String title, int status, String detail) {
        return new JsonObject().put("type", type).put("title", title).put("status", status).put("detail", detail);
    }

    private void handle(RoutingContext context) {
        if (context.response().headWritten()) {
            context.next();
            return;
        }
        if (context.failure() == null && context.statusCode() == 413) { // a body over the limit, refused by BodyHandler before it was read
            send(context, 413, statusProblem(TOO_LARGE_TYPE, "Request too large", 413, "the request body is larger than this route accepts").put("field", "body"));
            return;
        }
        InvalidRequestException invalid = find(context.failure(), InvalidRequestException.class);
        if (invalid != null) {
            send(context, 400, statusProblem(INVALID_REQUEST_TYPE, "Invalid request", 400, invalid.getMessage()).put("field", invalid.field()));
            return;
        }
        ProblemException problem = find(context.failure(), ProblemException.class);
        if (problem != null) {
            JsonObject body = statusProblem(problem.type(), problem.title(), problem.status(), problem.getMessage());
            problem.extensions().forEach(body::put);
            send(context, problem.status(), body);
            return;
        }
        StorageUnavailableException unavailable = find(context.failure(), StorageUnavailableException.class);
        if (unavailable != null) {
            context.response().putHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
            send(context, 503, statusProblem(UNAVAILABLE_TYPE, "Storage unavailable", 503, "the object store cannot be reached; try again later"));
            return;
        }
        if (find(context.failure(), RedisUnavailableException.class) != null) {
            context.response().putHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
            send(context, 503, statusProblem(USAGE_UNAVAILABLE_TYPE, "Usage unavailable", 503,
                    "the usage counters cannot be reached; try again later (nothing billable is lost)"));
            return;
        }
        QuotaExceededException quota = find(context.failure(), QuotaExceededException.class);
        if (quota != null) {
            context.response().putHeader("Retry-After", Long.toString(Math.max(1, Duration.between(Instant.now(), quota.resetsAt()).toSeconds())));
            send(context, 402, statusProblem(QUOTA_EXCEEDED_TYPE, "Monthly quota used up", 402, quota.getMessage()).put("unit", quota.unit().id()).put("used", quota.used()).put("quota", quota.quota())
                    .put("resetsAt", quota.resetsAt().toString()));
            return;
        }
        context.next();
    }

    /** Answers with a problem+json body of the four standard fields. */
    public static void send(RoutingContext context, int status, String type, String title, String detail) {
        send(context, status, statusProblem(type, title, status, detail));
    }

    /** Answers with a problem+json body. */
    public static void send(RoutingContext context, int status, JsonObject problem) {
        context.response().setStatusCode(status).putHeader("Content-Type", "application/problem+json").end(problem.encode());
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) return type.cast(t);
        }
        return null;
    }
}
