package dev.merlai.platform.http;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.vertx.ext.web.RoutingContext;

import java.io.IOException;

/** A route's request body, read the same way by every function: what cannot be read is a 400 naming why. */
public final class RequestBodies {

    /**
     * Strict: one JSON value and nothing after it, and no silent conversions (1.5 is no whole number, 3 is no text),
     * so what a caller sends is what is used.
     */
    private static final ObjectMapper MAPPER = strict();

    private static ObjectMapper strict() {
        ObjectMapper mapper = new ObjectMapper()
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
                .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS);
        mapper.coercionConfigFor(LogicalType.Textual)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        return mapper;
    }

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
            T value = MAPPER.readValue(bytes(context), type);
            if (value == null) throw new InvalidRequestException("body", "the body is not " + what + ": it is empty or null");
            return value;
        } catch (IOException e) {
            throw notReadable(what, e);
        }
    }

    /**
     * A JSON object already read (a body's parts, options from a query) as a {@code type}, as strictly as a body.
     *
     * @param what what it should be, for the message: "the body is not {what}: ..."
     */
    public static <T> T read(JsonNode json, Class<T> type, String what) throws InvalidRequestException {
        try {
            return MAPPER.treeToValue(json, type);
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

    /** Names the field at fault when Jackson knows it ({@code seed}, {@code score.tracks[0].name}). */
    private static InvalidRequestException notReadable(String what, IOException e) {
        String field = "body";
        if (e instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            StringBuilder path = new StringBuilder();
            for (JsonMappingException.Reference step : mapping.getPath()) {
                if (step.getFieldName() != null) path.append(path.isEmpty() ? "" : ".").append(step.getFieldName());
                else if (step.getIndex() >= 0) path.append('[').append(step.getIndex()).append(']');
            }
            field = path.toString();
        }
        return new InvalidRequestException(field, "the body is not " + what + ": " + e.getMessage().lines().findFirst().orElse(""));
    }
}
