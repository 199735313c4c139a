package dev.merlai.platform.http;

import io.vertx.core.http.HttpServerRequest;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Map;

/**
 * The product's limits on a request's head, answered as problems: a request target longer than
 * {@code merlai.http.max-uri-length} is a 414, headers larger than {@code merlai.http.max-header-size} a 431. Vert.x
 * hands a request over its own hard limits to a handler Quarkus does not let us replace, which answers with an empty
 * body; so those hard limits ({@code quarkus.http.limits.max-initial-line-length}, {@code .max-header-size}) are set
 * well above these, and only a request beyond them still gets the empty answer.
 */
@ApplicationScoped
public class RequestHeadLimits {

    public static final String URI_TOO_LONG_TYPE = "https://merlai.dev/problems/uri-too-long";
    public static final String HEADERS_TOO_LARGE_TYPE = "https://merlai.dev/problems/headers-too-large";

    @ConfigProperty(name = "merlai.http.max-uri-length")
    int maxUriLength;

    @ConfigProperty(name = "merlai.http.max-header-size")
    int maxHeaderSize;

    void install(@Observes Router router) {
        router.route().order(-2000).handler(this::check);
    }

    private void check(RoutingContext context) {
        HttpServerRequest request = context.request();
        int uriLength = request.uri().length();
        if (uriLength > maxUriLength) {
            ProblemResponses.send(context, 414, URI_TOO_LONG_TYPE, "URI too long",
                    "the request target has " + uriLength + " characters; at most " + maxUriLength + " are accepted");
            return;
        }
        int headerSize = headerSize(request);
        if (headerSize > maxHeaderSize) {
            ProblemResponses.send(context, 431, HEADERS_TOO_LARGE_TYPE, "Request headers too large",
                    "the request headers take " + headerSize + " bytes; at most " + maxHeaderSize + " are accepted");
            return;
        }
        context.next();
    }

    /** The headers' size as sent: each line's name, ": ", value and CRLF. */
    private static int headerSize(HttpServerRequest request) {
        int size = 0;
        for (Map.Entry<String, String> header : request.headers()) {
            size += header.getKey().length() + header.getValue().length() + 4;
        }
        return size;
    }
}
