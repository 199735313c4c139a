package dev.merlai.functions.account;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merlai.events.EventTypes;
import dev.merlai.platform.tenancy.AdminGuard;
import dev.merlai.tenancy.RedisCommands;
import dev.merlai.tenancy.usage.Unit;
import dev.merlai.tenancy.usage.UsageLedger;
import dev.merlai.testing.ServedOpenApi;
import dev.merlai.testing.RedisResource;
import dev.merlai.testing.S3ProxyResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The account API as a paying customer and an operator meet it, against a real S3 server and Redis: tenants and keys
 * made and revoked with the admin credential, usage per day as JSON, CSV and CloudEvents, an invoice preview, and
 * reconcile. The usage is recorded by the same ledger complete, render-midi and train-trigger bill through.
 */
@QuarkusTest
@QuarkusTestResource(S3ProxyResource.class)
@QuarkusTestResource(RedisResource.class)
class AccountApiTest {

    static final String ADMIN = "Bearer test-admin-token";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Inject
    UsageLedger usage;

    @Inject
    Redis redis;

    /** Creates the tenant (or gives it one more key) as an operator does, and returns the Authorization header of its key. */
    static String tenant(String tenant, String plan) {
        String key = given().header("Authorization", ADMIN).contentType(ContentType.JSON)
                .body("{\"tenant\": \"" + tenant + "\", \"plan\": \"" + plan + "\"}")
                .post("/admin/tenants").then().statusCode(201)
                .body("note", containsString("shown this once")).extract().path("apiKey");
        return "Bearer " + key;
    }

    private static long billedBars(String auth) {
        return ((Number) given().header("Authorization", auth).get("/v1/usage").then().statusCode(200).extract().path("totals.bars")).longValue();
    }

    @Test
    void aRevokedTenantsKeysAre401AndAnUnknownTenantIs404() {
        String auth = tenant("leaving", "pro");
        given().header("Authorization", auth).get("/v1/usage").then().statusCode(200);
        given().header("Authorization", ADMIN).delete("/admin/tenants/leaving").then().statusCode(200).body("state", equalTo("revoked"));
        given().header("Authorization", auth).get("/v1/usage").then().statusCode(401).contentType("application/problem+json");
        given().header("Authorization", ADMIN).delete("/admin/tenants/never-was").then().statusCode(404)
                .contentType("application/problem+json").body("type", equalTo("https://merlai.dev/problems/no-such-tenant"));
        given().get("/v1/invoice").then().statusCode(401);
    }

    @Test
    void adminRoutesWithoutTheAdminCredentialAre403() {
        String tenantAuth = tenant("curious", "pro");
        given().get("/admin/tenants").then().statusCode(403).contentType("application/problem+json").body("type", equalTo(AdminGuard.FORBIDDEN_TYPE));
        given().header("Authorization", tenantAuth).get("/admin/tenants").then().statusCode(403);
        given().header("Authorization", tenantAuth).contentType(ContentType.JSON).body("{\"tenant\": \"mine\"}").post("/admin/tenants").then().statusCode(403);
        given().header("Authorization", tenantAuth).post("/admin/usage/reconcile").then().statusCode(403);
        given().header("Authorization", ADMIN).get("/admin/tenants").then().statusCode(200)
                .body("tenants.tenant", hasItem("curious")).body("tenants[0]", not(hasItem("keyHashes")))
                .body(not(containsString(tenantAuth.substring("Bearer ".length()))));
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body("{\"tenant\": \"x\", \"plan\": \"platinum\"}").post("/admin/tenants")
                .then().statusCode(400).body("field", equalTo("plan"));
        given().header("Authorization", ADMIN).contentType(ContentType.JSON).body("{\"plan\": \"pro\"}").post("/admin/tenants")
                .then().statusCode(400).body("field", equalTo("tenant"));
    }

    @Test
    void usageComesPerDayAsJsonCsvAndCloudEventsAndAnInvoicePreview() {
        String auth = tenant("reader", "pro");
        usage.record("reader", "j-usage-1", Unit.BARS, 18);
        String today = LocalDate.now(ZoneOffset.UTC).toString();
        given().header("Authorization", auth).get("/v1/usage?from=" + today + "&to=" + today).then().statusCode(200)
                .body("tenant", equalTo("reader")).body("days[0].day", equalTo(today)).body("days[0].unit", equalTo("bars"))
                .body("days[0].amount", equalTo(18)).body("totals.'audio-seconds'", equalTo(0));
        given().header("Authorization", auth).get("/v1/usage?format=csv").then().statusCode(200).contentType(containsString("text/csv"))
                .body(equalTo("tenant,day,unit,amount\nreader," + today + ",bars,18\n"));
        given().header("Authorization", auth).get("/v1/usage/events").then().statusCode(200).contentType("application/cloudevents-batch+json")
                .body("[0].type", equalTo(EventTypes.USAGE_RECORDED)).body("[0].subject", equalTo("reader"))
                .body("[0].specversion", equalTo("1.0")).body("[0].data.amount", equalTo(18)).body("[0].data.job", equalTo("j-usage-1"))
                .body("[0].id", equalTo("reader/j-usage-1/bars"));
        given().header("Authorization", auth).get("/v1/invoice").then().statusCode(200)
                .body("plan", equalTo("pro")).body("currency", equalTo("EUR")).body("lines.find { it.unit == 'bars' }.used", equalTo(18))
                .body("lines.find { it.unit == 'bars' }.included", equalTo(10000)).body("total", equalTo(0.0f));
        given().header("Authorization", auth).get("/v1/usage?from=yesterday").then().statusCode(400).body("field", equalTo("from"));
        given().header("Authorization", auth).get("/v1/usage?from=2026-02-01&to=2026-01-01").then().statusCode(400).body("field", equalTo("to"));
        given().header("Authorization", auth).get("/v1/usage?format=xml").then().statusCode(400).body("field", equalTo("format"));
        given().header("Authorization", auth).get("/v1/invoice?period=2026-13").then().statusCode(400).body("field", equalTo("period"));
    }

    @Test
    void aTenantSeesOnlyItsOwnUsage() {
        String a = tenant("usage-a", "pro");
        String b = tenant("usage-b", "pro");
        usage.record("usage-a", "j-a-1", Unit.BARS, 24);
        assertEquals(24, billedBars(a));
        assertEquals(0, billedBars(b));
        given().header("Authorization", b).get("/v1/usage/events").then().statusCode(200).body(not(containsString("usage-a")));
    }

    @Test
    void afterRedisLosesEverythingTheUsageIsRebuiltFromS3AndReconcileAgrees() {
        String auth = tenant("durable", "pro");
        usage.record("durable", "j-durable-1", Unit.BARS, 16);
        usage.record("durable", "j-durable-2", Unit.BARS, 20);
        usage.record("durable", "j-durable-2", Unit.BARS, 20); // a repeat of the same job is billed once
        assertEquals(36, billedBars(auth));
        RedisCommands.send(redis, Request.cmd(Command.FLUSHALL));
        assertEquals(36, billedBars(auth), "the tenant's month is rebuilt from its records before it is read");
        given().header("Authorization", ADMIN).post("/admin/usage/reconcile").then().statusCode(200).body("differences", equalTo(0));
        assertEquals(36, billedBars(auth));
    }

    @Test
    void theAppServesItsOpenApiWithAnExampleForEveryRoute() throws Exception {
        var api = ServedOpenApi.fetch();
        List<String> routes = List.of("get /v1/usage", "get /v1/usage/events", "get /v1/invoice", "get /admin/tenants", "post /admin/tenants",
                "delete /admin/tenants/{tenant}", "post /admin/usage/reconcile");
        ServedOpenApi.assertDocumented(api, routes);
        assertEquals(routes.stream().map(route -> route.split(" ")[1]).distinct().count(), api.path("paths").size(), "every documented path is served here");
        assertEquals("bearer", api.path("components").path("securitySchemes").path("adminToken").path("scheme").asText());
    }
}
