package dev.merlai.functions.complete;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merlai.events.EventTypes;
import dev.merlai.models.ModelRegistry;
import dev.merlai.storage.ObjectStore;
import dev.merlai.testing.RedisResource;
import dev.merlai.testing.S3ProxyResource;
import dev.merlai.testing.SignedEvents;
import dev.merlai.testing.TrainedModels;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * complete with {@code model=<id>}: a model really fine-tuned by the training code ({@link TrainedModels}) and stored
 * under a tenant is used for that tenant only (the API key decides which tenant that is), and personalised models stay
 * in a bounded cache (two in the test profile).
 */
@QuarkusTest
@QuarkusTestResource(S3ProxyResource.class)
@QuarkusTestResource(RedisResource.class)
class PersonalModelTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Inject
    ModelRegistry registry;

    private final ObjectStore store = S3ProxyResource.store();

    private static Path repo() {
        return Path.of(System.getProperty("merlai.repo.root", "../.."));
    }

    private void storeModel(String tenant, String model) throws Exception {
        TrainedModels.store(store, tenant, model);
    }

    private static String request(String tenant, String model) throws Exception {
        var body = MAPPER.createObjectNode().put("tenant", tenant).put("model", model).put("style", "lied").put("seed", 4);
        body.set("score", MAPPER.readTree(Files.readAllBytes(repo().resolve("examples/ode-to-joy.json"))));
        return body.toString();
    }

    @Test
    void aTenantsPersonalModelArrangesItsRequests() throws Exception {
        storeModel("acme", "m-lieder");
        String auth = Accounts.bearer(Accounts.key("acme", "pro"));
        String job = given().header("Authorization", auth).contentType(ContentType.JSON).body(request("acme", "m-lieder"))
                .post("/v1/completions")
                .then().statusCode(200)
                .body("modelVersion", containsString("acme/m-lieder:"))
                .body("modelVersion", containsString("+m-lieder"))
                .extract().path("job");
        assertTrue(store.exists("tenants/acme/results/" + job + "/arrangement.mid"));
        JsonNode arrangement = MAPPER.readTree(store.get("tenants/acme/results/" + job + "/arrangement.json").orElseThrow());
        assertTrue(arrangement.path("tracks").size() > 1, "the personal model added accompaniment");
        // the base model stays the default
        given().header("Authorization", auth).contentType(ContentType.JSON).body(request("acme", null).replace(",\"model\":null", ""))
                .post("/v1/completions").then().statusCode(200).body("modelVersion", equalTo("merlai-chords@1.3.0+merlai-texture@1.3.1+merlai-downbeat@1.0.0+merlai-drums@1.5.0+merlai-dynamics@1.3.0"));
    }

    @Test
    void aTenantCannotUseAnotherTenantsModel() throws Exception {
        storeModel("acme", "m-private");
        Accounts.key("acme", "pro");
        String intruder = Accounts.bearer(Accounts.key("intruder", "pro"));
        given().header("Authorization", intruder).contentType(ContentType.JSON).body(request("intruder", "m-private"))
                .post("/v1/completions")
                .then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("model"))
                .body("detail", containsString("tenant intruder has no model m-private"));
        // Naming the owner, in the body or the query, does not make the key the owner's.
        given().header("Authorization", intruder).contentType(ContentType.JSON).body(request("acme", "m-private"))
                .post("/v1/completions").then().statusCode(400).body("field", equalTo("tenant"));
        given().header("Authorization", intruder).queryParam("tenant", "acme").contentType(ContentType.JSON).body(request(null, "m-private"))
                .post("/v1/completions").then().statusCode(400).body("field", equalTo("tenant"));
        assertTrue(store.list("tenants/intruder/results/").isEmpty(), "nothing was arranged for the intruder");
        assertFalse(registry.cached().contains("intruder/m-private"));
    }

    @Test
    void aModelNamedInTheEventDataIsUsedAndTheCacheStaysBounded() throws Exception {
        for (String model : List.of("m-one", "m-two", "m-three")) storeModel("cache", model);
        Accounts.key("cache", "pro");  // an event's tenant must exist
        for (String model : List.of("m-one", "m-two", "m-three")) {
            given().filter(SignedEvents.SIGNED).contentType(ContentType.JSON)
                    .header("ce-specversion", "1.0").header("ce-id", "personal-" + model).header("ce-type", EventTypes.MELODY_UPLOADED)
                    .header("ce-source", "/tests")
                    .body(request("cache", model))
                    .post("/")
                    .then().statusCode(200)
                    .header("ce-type", EventTypes.ARRANGEMENT_COMPLETED)
                    .body("modelVersion", containsString("cache/" + model + ":"));
        }
        List<String> cached = registry.cached().stream().filter(k -> k.startsWith("cache/")).toList();
        assertEquals(List.of("cache/m-two", "cache/m-three"), cached, "two models at most, the least recently used gone");
    }
}
