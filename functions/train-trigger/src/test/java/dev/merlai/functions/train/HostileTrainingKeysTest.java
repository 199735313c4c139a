package dev.merlai.functions.train;

import dev.merlai.storage.ObjectStore;
import dev.merlai.tenancy.TenantRegistry;
import dev.merlai.testing.RedisResource;
import dev.merlai.testing.S3ProxyResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Tenant alpha names training sets and pieces with path tricks, encodings, other cases and long names: every one is
 * refused with a reason, and not one object outside alpha's own training sets is written or read.
 */
@QuarkusTest
@QuarkusTestResource(S3ProxyResource.class)
@QuarkusTestResource(RedisResource.class)
@QuarkusTestResource(EventSinkResource.class)
class HostileTrainingKeysTest {

    private static final List<String> HOSTILE_NAMES = List.of("..", "%2e%2e", "%2E%2E", "..%2F..%2Fbeta%2Ftraining%2Fset", "..%2f..",
            "a%2F..%2F..%2Fbeta", "..%5C..%5Cbeta", "%00x.mid", ".", "x".repeat(600) + ".mid", "TENANTS%2Fbeta", "%2Ftenants%2Fbeta");

    @Inject
    TenantRegistry registry;

    private final ObjectStore store = S3ProxyResource.store();

    @Test
    void noSetOrPieceNameReachesBeyondTheTenantsOwnSets() throws Exception {
        String alpha = "Bearer " + registry.issueKey("alpha", "pro").apiKey();
        registry.issueKey("beta", "pro");
        byte[] piece = Files.readAllBytes(Path.of(System.getProperty("merlai.repo.root", "../..")).resolve("music/src/test/resources/musicxml/lc5729860.mxl"));
        store.put("tenants/beta/training/set/piece.mxl", piece, "application/vnd.recordare.musicxml");
        List<String> before = everythingButAlphasTrainingSets();
        for (String name : HOSTILE_NAMES) {
            for (String path : List.of("/v1/training-sets/" + name + "/piece.mxl", "/v1/training-sets/set/" + name, "/v1/training-sets/" + name + "/" + name)) {
                Response answer = given().urlEncodingEnabled(false).header("Authorization", alpha).contentType("application/octet-stream").body(piece).put(path);
                assertTrue(answer.statusCode() >= 400 && answer.statusCode() < 500, path + ": " + answer.statusCode() + " " + answer.asString());
            }
            Response training = given().header("Authorization", alpha).contentType(ContentType.JSON)
                    .body(Map.of("set", java.net.URLDecoder.decode(name, java.nio.charset.StandardCharsets.UTF_8), "quick", true)).post("/v1/training");
            assertEquals(400, training.statusCode(), name + ": " + training.asString());
            assertEquals("set", training.path("field"));
            assertFalse(training.asString().contains("lc5729860"), "nothing of beta's set is reported: " + training.asString());
        }
        assertEquals(before, everythingButAlphasTrainingSets(), "nothing was written outside alpha's training sets");
        assertTrue(store.list("tenants/alpha/models/").isEmpty(), "no training started");
    }

    private List<String> everythingButAlphasTrainingSets() {
        return store.list("").stream().filter(k -> !k.startsWith("tenants/alpha/training/") && !k.startsWith("system/")).toList();
    }
}
