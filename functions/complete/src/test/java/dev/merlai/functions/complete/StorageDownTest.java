package dev.merlai.functions.complete;

import dev.merlai.testing.SignedEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/** With the object store unreachable, callers are told to come back (503 + Retry-After) and brokers retry. */
@QuarkusTest
@TestProfile(StorageDownTest.NoStorage.class)
class StorageDownTest {

    /** Points the function at a port where nothing listens. */
    public static class NoStorage implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("merlai.s3.endpoint", "http://127.0.0.1:9", "merlai.s3.access-key", "k", "merlai.s3.secret-key", "s",
                    "quarkus.redis.hosts", "redis://127.0.0.1:9");
        }
    }

    @Test
    void anHttpCallerGets503WithRetryAfter() {
        given().header("Authorization", "Bearer mrl_a-well-formed-key-the-store-cannot-check-now").contentType(ContentType.JSON)
                .body("{\"key\": \"tenants/demo/inbox/song.mid\"}")
                .post("/v1/completions")
                .then().statusCode(503)
                .header("Retry-After", notNullValue())
                .contentType("application/problem+json")
                .body("type", equalTo("https://merlai.dev/problems/storage-unavailable"));
    }

    @Test
    void anEventIsAnswered503SoTheBrokerRetriesIt() {
        given().filter(SignedEvents.SIGNED).contentType(ContentType.JSON)
                .header("ce-specversion", "1.0").header("ce-id", "down-1")
                .header("ce-type", "dev.merlai.melody.uploaded").header("ce-source", "/test")
                .body("{\"tenant\": \"demo\", \"key\": \"tenants/demo/inbox/song.mid\"}")
                .post("/")
                .then().statusCode(503).header("Retry-After", notNullValue());
    }
}
