package dev.merlai.functions.complete;

import io.restassured.http.ContentType;

import static io.restassured.RestAssured.given;

/** Tenants for tests, created as an operator does: through the admin API with the admin credential. */
final class Accounts {

    static final String ADMIN = "Bearer test-admin-token";

    private Accounts() {
    }

    /** Creates the tenant (or gives it one more key) and returns an API key. */
    static String key(String tenant, String plan) {
        return given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body("{\"tenant\": \"" + tenant + "\", \"plan\": \"" + plan + "\"}")
                .post("/admin/tenants").then().statusCode(201).extract().path("apiKey");
    }

    static String bearer(String apiKey) {
        return "Bearer " + apiKey;
    }
}
