package dev.merlai.platform.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;

/** A route's request body, read the same way by every function: what cannot be read is a 400 naming why. */
public final class RequestBodies {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private RequestBodies() {
    }

    /** The body's bytes; empty when there is none. */
    public static byte[] bytes(RoutingContext context) {
        return context.body().buffer() == null ? new byte[0] : context.body().buffer().getBytes();
    }

    /**
     * The body as a {@code type}.
     *
     * @param what what the body should be, for the message: "the body is not {what}: ..."
     */
    public static <T> T read(RoutingContext context, Class<T> type, String what) throws InvalidRequestException {
        try {
            return MAPPER.readValue(bytes(context), type);
        } catch (IOException e) {
            throw notReadable(what, e);
        }
    }

    /** The body as a JSON tree (a missing node for an empty body). */
    public static JsonNode json(RoutingContext context) throws InvalidRequestException {
        try {
            return MAPPER.readTree(bytes(context));
        } catch (IOException e) {
            throw notReadable("JSON", e);
        }
    }

    private static InvalidRequestException notReadable(String what, IOException e) {
        return new InvalidRequestException("", "the body is not " + what + ": " + e.getMessage().lines().findFirst().orElse(""));
    }
}
