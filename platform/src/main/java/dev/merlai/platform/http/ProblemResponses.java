package dev.merlai.platform.http;

import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

/**
 * Turns a caller's mistake into HTTP 400 with an {@code application/problem+json} body (RFC 9457) that names
 * the field, instead of the 500 a failing function would otherwise give.
 */
@ApplicationScoped
public class ProblemResponses {

    public static final String INVALID_REQUEST_TYPE = "https://merlai.dev/problems/invalid-request";

    void install(@Observes Router router) {
        router.route().order(-1000).failureHandler(context -> {
            Throwable failure = context.failure();
            while (failure != null && !(failure instanceof InvalidRequestException) && failure.getCause() != failure) failure = failure.getCause();
            if (!(failure instanceof InvalidRequestException invalid) || context.response().headWritten()) {
                context.next();
                return;
            }
            JsonObject problem = new JsonObject()
                    .put("type", INVALID_REQUEST_TYPE)
                    .put("title", "Invalid request")
                    .put("status", 400)
                    .put("detail", invalid.getMessage())
                    .put("field", invalid.field());
            context.response().setStatusCode(400).putHeader("Content-Type", "application/problem+json").end(problem.encode());
        });
    }
}
