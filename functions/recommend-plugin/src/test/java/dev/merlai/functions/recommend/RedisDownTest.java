package dev.merlai.functions.recommend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merlai.events.EventTypes;
import dev.merlai.tenancy.TenantRegistry;
import dev.merlai.testing.RedisResource;
import dev.merlai.testing.S3ProxyResource;
import dev.merlai.testing.SignedEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redis only caches tenants' plugin data and API keys: with it gone, a key is checked against the object store, feedback
 * is still kept and rankings still follow it.
 */
@QuarkusTest
@QuarkusTestResource(value = S3ProxyResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = RedisResource.class, restrictToAnnotatedClass = true)
class RedisDownTest {

    @Inject
    TenantRegistry registry;

    private static JsonNode bass(String tenant, String job) throws Exception {
        Arrangements.arranged(tenant, job);
        given().filter(SignedEvents.SIGNED).contentType(ContentType.JSON)
                .header("ce-specversion", "1.0").header("ce-id", job).header("ce-type", EventTypes.ARRANGEMENT_COMPLETED).header("ce-source", "/t")
                .body("{\"tenant\": \"" + tenant + "\", \"job\": \"" + job + "\"}")
                .post("/").then().statusCode(200);
        JsonNode plugins = new ObjectMapper().readTree(Arrangements.jobs().result(tenant, job, "plugins.json").orElseThrow());
        for (JsonNode t : plugins.get("tracks")) if (t.get("role").asText().equals("bass")) return t;
        throw new AssertionError("no bass track");
    }

    @Test
    void withRedisStoppedKeysStillWorkFeedbackIsKeptAndRankingsFollowItAndThePreferences() throws Exception {
        String key = "Bearer " + registry.issueKey("dana", "pro").apiKey();
        String top = bass("dana", "d1").get("recommendations").get(0).get("id").asText();
        RedisResource.server().close();

        given().header("Authorization", key).contentType(ContentType.JSON).body("{\"job\": \"d1\", \"track\": 2, \"verdict\": \"rejected\", \"entry\": \"" + top + "\"}")
                .post("/v1/plugin-feedback").then().statusCode(201);
        JsonNode after = bass("dana", "d2");
        assertNotEquals(top, after.get("recommendations").get(0).get("id").asText(), "the rejected entry is no longer first");

        given().header("Authorization", key).contentType(ContentType.JSON).body("{\"os\": [\"linux\"]}").put("/v1/plugin-preferences").then().statusCode(200);
        given().header("Authorization", key).get("/v1/plugin-preferences").then().statusCode(200).body("os", hasItem("linux"));
        for (JsonNode r : bass("dana", "d3").get("recommendations")) assertTrue(r.get("os").toString().contains("linux"), r.get("id") + " runs on linux");
    }
}
