package dev.merlai.functions.complete;

import dev.merlai.events.EventTypes;
import dev.merlai.testing.SignedEvents;
import dev.merlai.storage.ObjectStore;
import dev.merlai.testing.RedisResource;
import dev.merlai.testing.S3ProxyResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tenant alpha tries to reach tenant beta's (and the platform's) objects with every trick a key can hold, through both
 * routes that take a key: {@code POST /v1/completions} and the upload CloudEvent. Not one of beta's objects is read
 * or written, no answer carries beta's notes, and no answer tells an object of beta's that exists from one that does
 * not.
 */
@QuarkusTest
@QuarkusTestResource(S3ProxyResource.class)
@QuarkusTestResource(RedisResource.class)
class HostileKeysTest {

    private static final String SECRET = "tenants/beta/inbox/secret-song.json";
    private final ObjectStore store = S3ProxyResource.store();
    private String alpha;

    @BeforeEach
    void twoTenants() throws Exception {
        alpha = Accounts.bearer(Accounts.key("alpha", "pro"));
        Accounts.key("beta", "pro");
        byte[] song = Files.readAllBytes(Path.of(System.getProperty("merlai.repo.root", "../..")).resolve("examples/ode-to-joy.json"));
        store.put(SECRET, song, "application/json");
        store.put("tenants/beta/results/j1/arrangement.json", song, "application/json");
        store.put("tenants/beta/training/set/piece.json", song, "application/json");
        store.put("tenants/alpha/training/set/piece.json", song, "application/json");
    }

    static List<String> hostileKeys() {
        List<String> keys = new ArrayList<>(List.of(
                "tenants/alpha/../beta/inbox/secret-song.json",
                "tenants/alpha/inbox/../../beta/inbox/secret-song.json",
                "tenants/alpha//../beta/inbox/secret-song.json",
                "tenants/alpha/inbox//../../beta/inbox/secret-song.json",
                "tenants/alpha/inbox/%2e%2e/%2e%2e/beta/inbox/secret-song.json",
                "tenants/alpha/inbox/%2E%2E/%2E%2E/beta/results/j1/arrangement.json",
                "tenants/alpha/inbox/..%2F..%2Fbeta%2Finbox%2Fsecret-song.json",
                "tenants/alpha/inbox/..\\..\\beta\\inbox\\secret-song.json",
                "tenants/alpha/inbox/./../../beta/inbox/secret-song.json",
                "Tenants/beta/inbox/secret-song.json",
                "TENANTS/alpha/../beta/inbox/secret-song.json",
                "tenants/Beta/inbox/secret-song.json",
                "tenants/beta/inbox/secret-song.json",
                "tenants/beta/results/j1/arrangement.json",
                "tenants/beta/training/set/piece.json",
                "tenants/alpha/training/set/piece.json",
                "tenants/alpha/../../system/tenants/beta.json",
                "system/tenants/beta.json",
                "/tenants/alpha/inbox/../../beta/inbox/secret-song.json",
                "tenants/alpha/inbox/secret-song.json\u0000/../../../beta/inbox/secret-song.json",
                "tenants/alpha/inbox/" + "../".repeat(200) + "tenants/beta/inbox/secret-song.json",
                "tenants/alpha/inbox/" + "x".repeat(600) + ".json"));
        return keys;
    }

    @Test
    void noKeyOfAlphaReadsBetasObjectsOverHttp() {
        List<String> before = store.list("tenants/beta/");
        for (String key : hostileKeys()) {
            Response answer = given().header("Authorization", alpha).contentType(ContentType.JSON)
                    .body(Map.of("key", key, "inline", true)).post("/v1/completions");
            assertEquals(400, answer.statusCode(), key + ": " + answer.asString());
            assertEquals("key", answer.path("field"), key);
            assertFalse(answer.asString().contains("\"notes\""), key + " answered notes: " + answer.asString());
        }
        assertEquals(before, store.list("tenants/beta/"), "nothing of beta's was written");
        assertTrue(store.list("tenants/alpha/results/").stream().noneMatch(k -> k.endsWith("/arrangement.json")), "nothing was arranged for alpha");
    }

    @Test
    void noUploadEventOfAlphaReadsBetasObjects() {
        List<String> before = store.list("tenants/beta/");
        int i = 0;
        for (String key : hostileKeys()) {
            Response answer = given().filter(SignedEvents.SIGNED).contentType(ContentType.JSON)
                    .header("ce-specversion", "1.0").header("ce-id", "hostile-" + i++)
                    .header("ce-type", EventTypes.MELODY_UPLOADED).header("ce-source", "/test")
                    .body(Map.of("tenant", "alpha", "key", key, "inline", true)).post("/");
            // A signed sender naming a key outside the tenant's own objects: 403 (the sender may not speak for it) or 400.
            assertTrue(answer.statusCode() == 400 || answer.statusCode() == 403, key + ": " + answer.statusCode() + " " + answer.asString());
            assertFalse(answer.asString().contains("\"notes\""), key + " answered notes: " + answer.asString());
        }
        assertEquals(before, store.list("tenants/beta/"), "nothing of beta's was written");
        assertTrue(store.list("tenants/alpha/results/").stream().noneMatch(k -> k.endsWith("/arrangement.json")), "nothing was arranged for alpha");
    }

    @Test
    void anotherTenantsObjectThatExistsAndOneThatDoesNotGetTheSameAnswer() {
        assertEquals(detail("tenants/beta/inbox/secret-song.json"), detail("tenants/beta/inbox/no-such-song.json"));
        assertEquals(detail("tenants/alpha/../beta/inbox/secret-song.json"), detail("tenants/alpha/../beta/inbox/no-such-song.json"));
        assertEquals(detail("system/tenants/beta.json"), detail("system/tenants/nobody.json"));
        assertEquals(detail("tenants/alpha/../../system/tenants/beta.json"), detail("tenants/alpha/../../system/tenants/nobody.json"));
    }

    private String detail(String key) {
        return given().header("Authorization", alpha).contentType(ContentType.JSON).body(Map.of("key", key))
                .post("/v1/completions").then().statusCode(400).extract().path("detail");
    }
}
