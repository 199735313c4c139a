package dev.merlai.functions.complete;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merlai.events.EventTypes;
import dev.merlai.platform.http.ProblemResponses;
import dev.merlai.platform.tenancy.ApiKeyGuard;
import dev.merlai.testing.ServedOpenApi;
import dev.merlai.testing.S3ProxyResource;
import dev.merlai.testing.SignedEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The hosted API as a paying customer meets it, against a real S3 server and Redis: API keys,
 * tenant isolation, billing once per job, quotas and rate limits (usage, invoices and the admin API: the account function).
 */
@QuarkusTest
class PayPerUseTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private static String inlineSong() throws Exception {
        var score = MAPPER.readTree(Files.readAllBytes(Path.of(System.getProperty("merlai.repo.root", "../..")).resolve("examples/ode-to-joy.json")));
        return MAPPER.createObjectNode().set("score", score).toString();
    }

    private static io.restassured.response.ValidatableResponse complete(String auth, String idempotencyKey) throws Exception {
        var request = given().header("Authorization", auth).contentType(ContentType.JSON);
        if (idempotencyKey != null) request.header("Idempotency-Key", idempotencyKey);
        return request.body(inlineSong()).post("/v1/completions").then();
    }

    @Test
    void aMissingUnknownOrRevokedKeyIs401WithAProblem() {
        given().get("/v1/jobs").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer"))
                .body("type", equalTo(ApiKeyGuard.UNAUTHENTICATED_TYPE)).body("detail", containsString("Authorization: Bearer"));
        given().header("Authorization", "Bearer mrl_not-a-key-anyone-was-given").get("/v1/jobs").then().statusCode(401)
                .body("detail", containsString("unknown or revoked"));
        given().header("Authorization", "Basic bWVybGFpOnNlY3JldA==").post("/v1/completions").then().statusCode(401);

        String key = Accounts.key("leaving", "pro");
        given().header("Authorization", Accounts.bearer(key)).get("/v1/jobs").then().statusCode(200);
        Accounts.revoke("leaving");
        given().header("Authorization", Accounts.bearer(key)).get("/v1/jobs").then().statusCode(401).contentType("application/problem+json");
    }

    @Test
    void tenantBCannotReadTenantAsJobsOrResults() throws Exception {
        String a = Accounts.bearer(Accounts.key("tenant-a", "pro"));
        String b = Accounts.bearer(Accounts.key("tenant-b", "pro"));
        String jobOfA = complete(a, "same-key").statusCode(200).extract().path("job");
        given().header("Authorization", a).get("/v1/jobs/" + jobOfA).then().statusCode(200);

        given().header("Authorization", b).get("/v1/jobs/" + jobOfA).then().statusCode(404).contentType("application/problem+json");
        given().header("Authorization", b).get("/v1/jobs").then().statusCode(200).body("jobs.job", not(hasItem(jobOfA)));
        given().header("Authorization", b).get("/v1/jobs/" + jobOfA + "?tenant=tenant-a").then().statusCode(400).body("field", equalTo("tenant"));
        given().header("Authorization", b).get("/v1/jobs?tenant=tenant-a").then().statusCode(400);
        given().header("Authorization", b).contentType(ContentType.JSON).body("{\"key\": \"tenants/tenant-a/inbox/song.mid\"}").post("/v1/completions")
                .then().statusCode(400).body("field", equalTo("key"));
        given().header("Authorization", b).contentType(ContentType.JSON).body("{\"tenant\": \"tenant-a\", \"key\": \"tenants/tenant-a/inbox/song.mid\"}")
                .post("/v1/completions").then().statusCode(400).body("field", equalTo("tenant"));
        String jobOfB = complete(b, "same-key").statusCode(200).extract().path("job");
        assertNotEquals(jobOfA, jobOfB, "the same Idempotency-Key of two tenants is two jobs");
        given().header("Authorization", b).get("/v1/jobs/" + jobOfB).then().statusCode(200)
                .body("links.'arrangement.mid'", containsString("tenants/tenant-b/results/" + jobOfB))
                .body("links.'arrangement.mid'", containsString("X-Amz-Expires=900"));
        assertEquals(Accounts.billedBars("tenant-a"), Accounts.billedBars("tenant-b"), "each is billed for its own job only");
    }

    @Test
    void theSameEventDeliveredThreeTimesIsBilledOnce() throws Exception {
        String auth = Accounts.bearer(Accounts.key("thrice", "pro"));
        S3ProxyResource.store().put("tenants/thrice/inbox/ode.json", Files.readAllBytes(Path.of(System.getProperty("merlai.repo.root", "../..")).resolve("examples/ode-to-joy.json")), "application/json");
        long bars = 0;
        for (int delivery = 0; delivery < 3; delivery++) {
            long answered = ((Number) given().filter(SignedEvents.SIGNED).contentType(ContentType.JSON)
                    .header("ce-specversion", "1.0").header("ce-id", "upload-thrice").header("ce-type", EventTypes.MELODY_UPLOADED)
                    .header("ce-source", "/merlai/local/inbox")
                    .body("{\"tenant\": \"thrice\", \"key\": \"tenants/thrice/inbox/ode.json\"}")
                    .post("/").then().statusCode(200).extract().path("bars")).longValue();
            if (delivery == 0) bars = answered;
        }
        assertTrue(bars > 0, "the first delivery billed the song's bars");
        assertEquals(bars, Accounts.billedBars("thrice"));
        assertEquals(1, S3ProxyResource.store().list("system/usage/thrice/").size());
        // the same for a retried HTTP request
        long first = ((Number) complete(auth, "retry-me").statusCode(200).extract().path("bars")).longValue();
        complete(auth, "retry-me").statusCode(200);
        complete(auth, "retry-me").statusCode(200);
        assertEquals(bars + first, Accounts.billedBars("thrice"));
    }

    @Test
    void anEventForAnUnknownTenantIsRefused() {
        given().filter(SignedEvents.SIGNED).contentType(ContentType.JSON)
                .header("ce-specversion", "1.0").header("ce-id", "stranger-1").header("ce-type", EventTypes.MELODY_UPLOADED).header("ce-source", "/test")
                .body("{\"tenant\": \"stranger\", \"key\": \"tenants/stranger/inbox/a.mid\"}")
                .post("/").then().statusCode(400).body("field", equalTo("tenant"));
    }

    @Test
    void aSpentQuotaIsRefusedWith402BeforeAnyWork() throws Exception {
        String auth = Accounts.bearer(Accounts.key("thrifty", "tiny")); // a quota of 1 bar a month
        complete(auth, null).statusCode(200); // the job that crosses the quota completes
        List<String> before = S3ProxyResource.store().list("tenants/thrifty/results/");
        long billed = Accounts.billedBars("thrifty");
        complete(auth, null).statusCode(402).contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("type", equalTo(ProblemResponses.QUOTA_EXCEEDED_TYPE)).body("unit", equalTo("bars")).body("quota", equalTo(1))
                .body("resetsAt", containsString("-01T00:00:00Z"));
        assertEquals(before, S3ProxyResource.store().list("tenants/thrifty/results/"), "no job was started");
        assertEquals(billed, Accounts.billedBars("thrifty"));
        given().header("Authorization", auth).get("/v1/jobs").then().statusCode(200); // reading is not refused
    }

    @Test
    void overThePlansRateA429SaysWhenToComeBack() {
        String auth = Accounts.bearer(Accounts.key("hasty", "slow")); // 0.2 requests a second, bursts of 2
        given().header("Authorization", auth).get("/v1/jobs").then().statusCode(200);
        given().header("Authorization", auth).get("/v1/jobs").then().statusCode(200);
        String retryAfter = given().header("Authorization", auth).get("/v1/jobs").then().statusCode(429).contentType("application/problem+json")
                .body("type", equalTo(ApiKeyGuard.RATE_LIMITED_TYPE)).extract().header("Retry-After");
        assertTrue(Integer.parseInt(retryAfter) >= 1 && Integer.parseInt(retryAfter) <= 5, retryAfter);
    }

    @Test
    void theAppServesItsOpenApiWithAnExampleForEveryRoute() throws Exception {
        var api = ServedOpenApi.fetch();
        List<String> routes = List.of("post /v1/completions", "get /v1/jobs", "get /v1/jobs/{job}", "post /v1/batches", "get /v1/batches/{batch}", "post /");
        ServedOpenApi.assertDocumented(api, routes);
        assertEquals("bearer", api.path("components").path("securitySchemes").path("apiKey").path("scheme").asText());
    }
}
