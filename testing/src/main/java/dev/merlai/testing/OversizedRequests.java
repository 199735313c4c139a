package dev.merlai.testing;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

/**
 * Requests over the product's limits on a request's head, for the tests that prove each function answers them with a
 * problem, not an empty body: a request target over 4 KiB is a 414, headers over 8 KiB a 431, whatever the route.
 */
public final class OversizedRequests {

    public static final String URI_TOO_LONG_TYPE = "https://merlai.dev/problems/uri-too-long";
    public static final String HEADERS_TOO_LARGE_TYPE = "https://merlai.dev/problems/headers-too-large";

    private OversizedRequests() {
    }

    /** Sends a request target and headers each just over the limits to {@code path} and checks both problems. */
    public static void assertEachIsAProblem(String path) {
        given().get(path + "?padding=" + "p".repeat(4097)).then().statusCode(414)
                .contentType("application/problem+json").body("type", equalTo(URI_TOO_LONG_TYPE)).body("status", equalTo(414));
        given().header("X-Padding", "p".repeat(8193)).get(path).then().statusCode(431)
                .contentType("application/problem+json").body("type", equalTo(HEADERS_TOO_LARGE_TYPE)).body("status", equalTo(431));
    }
}
