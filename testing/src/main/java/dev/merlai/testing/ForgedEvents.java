package dev.merlai.testing;

import dev.merlai.events.EventSignature;
import dev.merlai.storage.ObjectStore;
import io.restassured.specification.RequestSpecification;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.TreeMap;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/**
 * What an attacker without the platform's secret can post to a function's event routes, for the tests that prove each
 * is refused (401 problem) with no side effect: no signature, a signature made with another secret, a genuine signature
 * over a different body, and a genuine signature from longer ago than {@link EventSignature#TOLERANCE} (a replay).
 */
public final class ForgedEvents {

    public static final String UNAUTHENTICATED_TYPE = "https://merlai.dev/problems/unauthenticated-event";
    private static final String OTHER_SECRET = "an-attackers-guess-0123456789abcdef012345";

    private ForgedEvents() {
    }

    /**
     * Posts each forgery of the event (binary mode: {@code ce-*} headers and a JSON body) to {@code path} and checks
     * that each is answered 401 with the unauthenticated-event problem.
     *
     * @param honestBody the body the forged signatures are made for, different from {@code body}
     */
    public static void assertEachForgeryRefused(String path, Map<String, String> ceHeaders, String body, String honestBody) {
        String id = ceHeaders.get("ce-id"), source = ceHeaders.get("ce-source"), type = ceHeaders.get("ce-type"), subject = ceHeaders.get("ce-subject");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        long stale = java.time.Instant.now().minus(EventSignature.TOLERANCE).minusSeconds(60).getEpochSecond();
        String staleSignature = new EventSignature(SignedEvents.TEST_SECRET).sign(id, source, type, subject, bytes)
                .replaceFirst("^t=\\d+", "t=" + stale);
        Map<String, String> forgeries = Map.of(
                "no signature", "",
                "another secret", new EventSignature(OTHER_SECRET).sign(id, source, type, subject, bytes),
                "a signature of another body", new EventSignature(SignedEvents.TEST_SECRET).sign(id, source, type, subject,
                        honestBody.getBytes(StandardCharsets.UTF_8)),
                "a replayed signature", staleSignature);
        forgeries.forEach((what, signature) -> {
            RequestSpecification request = given().contentType("application/json").headers(ceHeaders).body(body);
            if (!signature.isEmpty()) request.header(EventSignature.HEADER, signature);
            try {
                request.post(path).then().statusCode(401).contentType("application/problem+json").body("type", equalTo(UNAUTHENTICATED_TYPE));
            } catch (AssertionError e) {
                throw new AssertionError("an event with " + what + " to " + path + ": " + e.getMessage(), e);
            }
        });
    }

    /** Every object in the bucket with a digest of its bytes: equal snapshots mean nothing was written or deleted. */
    public static Map<String, String> snapshot(ObjectStore store) {
        Map<String, String> objects = new TreeMap<>();
        for (String key : store.list("")) objects.put(key, store.get(key).map(ForgedEvents::sha256).orElse("gone"));
        return objects;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
