package dev.merlai.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.util.List;

import static io.restassured.RestAssured.given;

/** The OpenAPI document a function under test serves, and what every function's API description promises of a route. */
public final class ServedOpenApi {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ServedOpenApi() {
    }

    /** The document the app under test serves at {@code /q/openapi}. */
    public static JsonNode fetch() throws IOException {
        return MAPPER.readTree(given().get("/q/openapi?format=json").then().statusCode(200).extract().asString());
    }

    /** Each route ({@code "get /v1/jobs"}) is documented, with an example and an operationId. */
    public static void assertDocumented(JsonNode api, List<String> routes) {
        for (String route : routes) {
            String[] parts = route.split(" ");
            JsonNode operation = api.path("paths").path(parts[1]).path(parts[0]);
            if (!operation.isObject()) throw new AssertionError(route + " is documented");
            if (!operation.toString().contains("\"example")) throw new AssertionError(route + " has an example");
            if (!operation.path("operationId").isTextual()) throw new AssertionError(route + " has an operationId");
        }
    }
}
