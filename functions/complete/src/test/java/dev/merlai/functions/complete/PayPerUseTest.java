package dev.merlai.functions.complete;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merlai.events.EventTypes;
import dev.merlai.platform.http.ProblemResponses;
import dev.merlai.platform.tenancy.AdminGuard;
import dev.merlai.platform.tenancy.ApiKeyGuard;
import dev.merlai.tenancy.RedisCommands;
import dev.merlai.testing.S3ProxyResource;
import dev.merlai.testing.SignedEvents;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
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
 * The hosted API as a paying customer and an operator meet it, against a real S3 server and Redis: API keys,
 * tenant isolation, billing once per job, quotas, rate limits, usage, invoices and reconcile.
 */
@QuarkusTest
class PayPerUseTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Inject
    Redis redis;

    private static String inlineSong() throws Exception {
        var score = MAPPER.readTree(Files.readAllBytes(Path.of(System.getProperty("merlai.repo.root", "../..")).resolve("examples/ode-to-joy.json")));
        return MAPPER.createObjectNode().set("score", score).toString();
    }

    private static io.restassured.response.ValidatableResponse complete(String auth, String idempotencyKey) throws Exception {
        var request = given().header("Authorization", auth).contentType(ContentType.JSON);
        if (idempotencyKey != null) request.header("Idempotency-Key", idempotencyKey);
        return request.body(inlineSong()).post("/v1/completions").then();
    }

    private static long billedBars(String auth) {
        return ((Number) given().header("Authorization", auth).get("/v1/usage").then().statusCode(200).extract().path("totals.bars")).longValue();
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
        given().header("Authorization", Accounts.ADMIN).delete("/admin/tenants/leaving").then().statusCode(200).body("state", equalTo("revoked"));
        given().header("Authorization", Accounts.bearer(key)).get("/v1/jobs").then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", Accounts.ADMIN).delete("/admin/tenants/never-was").then().statusCode(404);
    }

    @Test
    void adminRoutesWithoutTheAdminCredentialAre403() {
        String tenantKey = Accounts.key("curious", "pro");
        given().get("/admin/tenants").then().statusCode(403).contentType("application/problem+json").body("type", equalTo(AdminGuard.FORBIDDEN_TYPE));
        given().header("Authorization", Accounts.bearer(tenantKey)).get("/admin/tenants").then().statusCode(403);
        given().header("Authorization", Accounts.bearer(tenantKey)).contentType(ContentType.JSON).body("{\"tenant\": \"mine\"}").post("/admin/tenants").then().statusCode(403);
        given().header("Authorization", Accounts.bearer(tenantKey)).post("/admin/usage/reconcile").then().statusCode(403);
        given().header("Authorization", Accounts.ADMIN).get("/admin/tenants").then().statusCode(200)
                .body("tenants.tenant", hasItem("curious")).body("tenants[0]", not(hasItem("keyHashes")))
                .body(not(containsString(tenantKey)));
        given().header("Authorization", Accounts.ADMIN).contentType(ContentType.JSON).body("{\"tenant\": \"x\", \"plan\": \"platinum\"}").post("/admin/tenants")
                .then().statusCode(400).body("field", equalTo("plan"));
    }

    @Test
    void tenantBCannotReadTenantAsJobsResultsOrUsage() throws Exception {
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
        assertEquals(billedBars(a), billedBars(b), "each is billed for its own job only");
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
        assertEquals(bars, billedBars(auth));
        assertEquals(1, S3ProxyResource.store().list("system/usage/thrice/").size());
        // the same for a retried HTTP request
        long first = ((Number) complete(auth, "retry-me").statusCode(200).extract().path("bars")).longValue();
        complete(auth, "retry-me").statusCode(200);
        complete(auth, "retry-me").statusCode(200);
        assertEquals(bars + first, billedBars(auth));
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
        long billed = billedBars(auth);
        complete(auth, null).statusCode(402).contentType("application/problem+json")
                .header("Retry-After", notNullValue())
                .body("type", equalTo(ProblemResponses.QUOTA_EXCEEDED_TYPE)).body("unit", equalTo("bars")).body("quota", equalTo(1))
                .body("resetsAt", containsString("-01T00:00:00Z"));
        assertEquals(before, S3ProxyResource.store().list("tenants/thrifty/results/"), "no job was started");
        assertEquals(billed, billedBars(auth));
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
    void usageComesPerDayAsJsonCsvAndCloudEventsAndAnInvoicePreview() throws Exception {
        String auth = Accounts.bearer(Accounts.key("reader", "pro"));
        long bars = ((Number) complete(auth, "usage-1").statusCode(200).extract().path("bars")).longValue();
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        given().header("Authorization", auth).get("/v1/usage?from=" + today + "&to=" + today).then().statusCode(200)
                .body("tenant", equalTo("reader")).body("days[0].day", equalTo(today)).body("days[0].unit", equalTo("bars"))
                .body("days[0].amount", equalTo((int) bars)).body("totals.'audio-seconds'", equalTo(0));
        given().header("Authorization", auth).get("/v1/usage?format=csv").then().statusCode(200).contentType(containsString("text/csv"))
                .body(equalTo("tenant,day,unit,amount\nreader," + today + ",bars," + bars + "\n"));
        given().header("Authorization", auth).get("/v1/usage/events").then().statusCode(200).contentType("application/cloudevents-batch+json")
                .body("[0].type", equalTo(EventTypes.USAGE_RECORDED)).body("[0].subject", equalTo("reader"))
                .body("[0].specversion", equalTo("1.0")).body("[0].data.amount", equalTo((int) bars)).body("[0].id", containsString("reader/"));
        given().header("Authorization", auth).get("/v1/invoice").then().statusCode(200)
                .body("plan", equalTo("pro")).body("currency", equalTo("EUR")).body("lines.find { it.unit == 'bars' }.used", equalTo((int) bars))
                .body("lines.find { it.unit == 'bars' }.included", equalTo(10000)).body("total", equalTo(0.0f));
        given().header("Authorization", auth).get("/v1/usage?from=yesterday").then().statusCode(400).body("field", equalTo("from"));
        given().header("Authorization", auth).get("/v1/usage?from=2026-02-01&to=2026-01-01").then().statusCode(400).body("field", equalTo("to"));
        given().header("Authorization", auth).get("/v1/invoice?period=2026-13").then().statusCode(400).body("field", equalTo("period"));
    }

    @Test
    void theAppServesItsOpenApiWithAnExampleForEveryRoute() throws Exception {
        var api = MAPPER.readTree(given().get("/q/openapi?format=json").then().statusCode(200).extract().asString());
        List<String> routes = List.of("post /v1/completions", "get /v1/jobs", "get /v1/jobs/{job}", "get /v1/usage", "get /v1/usage/events",
                "get /v1/invoice", "get /admin/tenants", "post /admin/tenants", "delete /admin/tenants/{tenant}", "post /admin/usage/reconcile", "post /");
        for (String route : routes) {
            String[] parts = route.split(" ");
            var operation = api.path("paths").path(parts[1]).path(parts[0]);
            assertTrue(operation.isObject(), route + " is documented");
            assertTrue(operation.toString().contains("\"example"), route + " has an example");
            assertTrue(operation.path("operationId").isTextual(), route + " has an operationId");
        }
        assertEquals("bearer", api.path("components").path("securitySchemes").path("apiKey").path("scheme").asText());
    }

    @Test
    void afterRedisLosesEverythingTheUsageIsRebuiltFromS3AndReconcileAgrees() throws Exception {
        String auth = Accounts.bearer(Accounts.key("durable", "pro"));
        complete(auth, "durable-1").statusCode(200);
        complete(auth, "durable-2").statusCode(200);
        long before = billedBars(auth);
        assertTrue(before > 0);
        RedisCommands.send(redis, Request.cmd(Command.FLUSHALL));
        assertEquals(before, billedBars(auth), "the tenant's month is rebuilt from its records before it is read");
        given().header("Authorization", Accounts.ADMIN).post("/admin/usage/reconcile").then().statusCode(200).body("differences", equalTo(0));
        assertEquals(before, billedBars(auth));
    }
}
