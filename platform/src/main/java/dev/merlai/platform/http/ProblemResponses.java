package dev.merlai.platform.http;

import dev.merlai.storage.StorageUnavailableException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Turns failures into {@code application/problem+json} (RFC 9457) answers: a caller's mistake is a 400
 * naming the field; storage that is down is a 503 with Retry-After, so an HTTP caller comes back later and
 * the event broker retries (nothing accepted is lost). Other failures keep Quarkus' default 500.
 */
@ApplicationScoped
public class ProblemResponses {

    public static final String INVALID_REQUEST_TYPE = "https://merlai.dev/problems/invalid-request";
    public static final String UNAVAILABLE_TYPE = "https://merlai.dev/problems/storage-unavailable";
    static final int RETRY_AFTER_SECONDS = 5;

    void install(@Observes Router router) {
        router.route().order(-1000).failureHandler(this::handle);
    }

    private void handle(RoutingContext context) {
        if (context.response().headWritten()) {
            context.next();
            return;
        }
        InvalidRequestException invalid = find(context.failure(), InvalidRequestException.class);
        if (invalid != null) {
            send(context, 400, new JsonObject().put("type", INVALID_REQUEST_TYPE).put("title", "Invalid request")
                    .put("status", 400).put("detail", invalid.getMessage()).put("field", invalid.field()));
            return;
        }
        ProblemException problem = find(context.failure(), ProblemException.class);
        if (problem != null) {
            JsonObject body = new JsonObject().put("type", problem.type()).put("title", problem.title())
                    .put("status", problem.status()).put("detail", problem.getMessage());
            problem.extensions().forEach(body::put);
            send(context, problem.status(), body);
            return;
        }
        StorageUnavailableException unavailable = find(context.failure(), StorageUnavailableException.class);
        if (unavailable != null) {
            context.response().putHeader("Retry-After", Integer.toString(RETRY_AFTER_SECONDS));
            send(context, 503, new JsonObject().put("type", UNAVAILABLE_TYPE).put("title", "Storage unavailable")
                    .put("status", 503).put("detail", "the object store cannot be reached; try again later"));
            return;
        }
        context.next();
    }

    private static void send(RoutingContext context, int status, JsonObject problem) {
        context.response().setStatusCode(status).putHeader("Content-Type", "application/problem+json").end(problem.encode());
    }

    private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (type.isInstance(t)) return type.cast(t);
        }
        return null;
    }
}
