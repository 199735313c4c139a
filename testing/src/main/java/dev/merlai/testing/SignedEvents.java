package dev.merlai.testing;

import dev.merlai.events.EventSignature;
import io.restassured.filter.Filter;

import java.nio.charset.StandardCharsets;

/**
 * Signs events as {@code merlai serve}'s own senders do, with the secret the functions' test profile holds
 * ({@code %test.merlai.events.secret} in merlai-platform's defaults), so a test can post an event the functions accept:
 * {@code given().filter(SignedEvents.SIGNED).header("ce-id", ...)...post("/")}.
 */
public final class SignedEvents {

    /** The same value as {@code %test.merlai.events.secret}. */
    public static final String TEST_SECRET = "test-events-secret-0123456789abcdef0123";
    public static final String HEADER = EventSignature.HEADER;

    /** Adds the {@value #HEADER} header for the request's {@code ce-*} headers and body, as the event router does. */
    public static final Filter SIGNED = (request, response, context) -> {
        Object body = request.getBody();
        byte[] bytes = body == null ? new byte[0] : body instanceof byte[] raw ? raw : body.toString().getBytes(StandardCharsets.UTF_8);
        var headers = request.getHeaders();
        request.header(HEADER, new EventSignature(TEST_SECRET).sign(headers.getValue("ce-id"), headers.getValue("ce-source"),
                headers.getValue("ce-type"), headers.getValue("ce-subject"), bytes));
        return context.next(request, response);
    };

    private SignedEvents() {
    }
}
