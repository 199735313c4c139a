package dev.merlai.functions.recommend;

import dev.merlai.platform.tenancy.AdminGuard;
import dev.merlai.platform.tenancy.ApiKeyGuard;
import dev.merlai.plugins.PluginsDocument;
import dev.merlai.tenancy.TenantRegistry;
import dev.merlai.testing.OversizedRequests;
import dev.merlai.testing.RedisResource;
import dev.merlai.testing.S3ProxyResource;
import dev.merlai.testing.SignedEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

/**
 * The catalog, preferences and feedback API over HTTP, against a real S3 server and Redis: tenants call with their API
 * keys, the operator changes the catalog with the admin credential.
 */
@QuarkusTest
@QuarkusTestResource(S3ProxyResource.class)
@QuarkusTestResource(RedisResource.class)
class PluginRoutesTest {

    /** The operator's credential, merlai.admin.token of the test profile. */
    private static final String ADMIN = "Bearer test-admin-token";

    private static final String REVERB = """
            {"id": "test-plate", "name": "Test Plate", "vendor": "Merlai tests", "kind": "effect", "formats": ["VST3"],
             "os": ["linux"], "licence": "free", "priceBand": "free", "categories": ["reverb"], "tags": ["plate"],
             "registers": [], "articulations": [], "styles": []}""";

    @Inject
    TenantRegistry registry;

    private static RequestSpecification admin() {
        return given().header("Authorization", ADMIN).contentType(ContentType.JSON);
    }

    private final Map<String, String> keys = new HashMap<>();

    /** A request with an API key of the tenant, created on the pro plan (as an operator would) the first time. */
    private RequestSpecification as(String tenant) {
        String key = keys.computeIfAbsent(tenant, t -> registry.issueKey(t, "pro").apiKey());
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON);
    }

    @Test
    void listsAndSearchesTheCatalogByTagFormatOsAndLicence() {
        as("lister").get("/v1/plugins").then().statusCode(200)
                .body("count", greaterThanOrEqualTo(60 + 128)).body("entries.id", hasItems("surge-xt", "spectrasonics-omnisphere", "gm-001"));
        as("lister").get("/v1/plugins?tag=felt&format=VST3&os=windows&licence=paid").then().statusCode(200)
                .body("entries.id", hasItem("ni-noire")).body("entries.licence", everyItem(equalTo("paid")));
        as("lister").get("/v1/plugins?format=CLAP&os=linux&licence=free&kind=instrument").then().statusCode(200)
                .body("entries.id", hasItem("surge-xt")).body("entries.id", not(hasItem("vital")));
        as("lister").get("/v1/plugins/dexed").then().statusCode(200).body("entry.vendor", equalTo("Digital Suburban"));
        as("lister").get("/v1/plugins/no-such-thing").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void lookingUpRandomIdsAddsNoMetricSeries() {
        for (int i = 0; i < 3; i++) given().get("/v1/plugins/random-plugin-" + i).then().statusCode(401);
        given().get("/q/metrics").then().statusCode(200).body(not(containsString("random-plugin-")));
    }

    @Test
    void withoutAValidApiKeyEveryV1RouteIs401() {
        given().get("/v1/plugins").then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", containsString("Bearer")).body("type", equalTo(ApiKeyGuard.UNAUTHENTICATED_TYPE));
        given().header("Authorization", "Bearer mrl_not-a-key-anyone-was-given").get("/v1/plugins/dexed").then().statusCode(401);
        given().get("/v1/plugin-preferences").then().statusCode(401);
        given().contentType(ContentType.JSON).body("{}").post("/v1/plugin-feedback").then().statusCode(401);
        given().header("Authorization", ADMIN).get("/v1/plugins").then().statusCode(401).body("detail", containsString("unknown or revoked"));
    }

    @Test
    void onlyTheOperatorChangesTheCatalogAndEachChangeIsTheNextVersion() {
        int before = as("reader").get("/v1/plugins").then().extract().path("version");
        given().contentType(ContentType.JSON).body(REVERB).post("/admin/plugins").then().statusCode(403).contentType("application/problem+json")
                .body("type", equalTo(AdminGuard.FORBIDDEN_TYPE));
        as("ambitious").body(REVERB).post("/admin/plugins").then().statusCode(403).body("type", equalTo(AdminGuard.FORBIDDEN_TYPE));
        as("ambitious").body(REVERB).put("/admin/plugins/test-plate").then().statusCode(403);
        as("ambitious").delete("/admin/plugins/gm-001").then().statusCode(403);
        as("ambitious").body(REVERB).post("/v1/plugins").then().statusCode(405).contentType("application/problem+json");
        as("reader").get("/v1/plugins/test-plate").then().statusCode(404);

        admin().body(REVERB).post("/admin/plugins").then().statusCode(201).body("version", equalTo(before + 1));
        admin().body(REVERB).post("/admin/plugins").then().statusCode(409);
        admin().body(REVERB.replace("Test Plate", "Test Plate II")).put("/admin/plugins/test-plate").then().statusCode(200)
                .body("version", equalTo(before + 2)).body("entry.name", equalTo("Test Plate II"));
        as("reader").get("/v1/plugins/test-plate").then().statusCode(200).body("entry.name", equalTo("Test Plate II"));
        admin().delete("/admin/plugins/test-plate").then().statusCode(200).body("version", equalTo(before + 3));
        as("reader").get("/v1/plugins/test-plate").then().statusCode(404);
        admin().delete("/admin/plugins/gm-034").then().statusCode(409);
        admin().delete("/admin/plugins/test-plate").then().statusCode(404);
    }

    @Test
    void aBadEntryIsA400NamingTheField() {
        admin().body(REVERB.replace("\"VST3\"", "\"VST4\"")).post("/admin/plugins").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("formats[0]"));
        admin().body(REVERB.replace("\"vendor\": \"Merlai tests\",", "")).post("/admin/plugins").then().statusCode(400).body("field", equalTo("vendor"));
        admin().body(REVERB.replace("\"priceBand\": \"free\"", "\"priceBand\": \"over-300\"")).post("/admin/plugins").then().statusCode(400).body("field", equalTo("priceBand"));
        admin().body("not json").post("/admin/plugins").then().statusCode(400);
    }

    @Test
    void preferencesAreTheCallersOwnAndCheckedValueByValue() {
        as("pref-a").body("{\"formats\": [\"clap\"], \"os\": [\"Linux\"]}").put("/v1/plugin-preferences")
                .then().statusCode(200).body("formats", hasItem("CLAP")).body("os", hasItem("linux")).body("freeOnly", equalTo(false));
        as("pref-a").get("/v1/plugin-preferences").then().statusCode(200).body("formats", hasItem("CLAP"));
        as("pref-b").get("/v1/plugin-preferences").then().statusCode(200).body("formats.size()", equalTo(0));
        as("pref-a").body("{\"os\": [\"beos\"]}").put("/v1/plugin-preferences")
                .then().statusCode(400).body("field", equalTo("os[0]")).body("detail", containsString("beos"));
        as("pref-b").get("/v1/plugin-preferences?tenant=pref-a").then().statusCode(400).contentType("application/problem+json").body("field", equalTo("tenant"));
        as("pref-b").body("{\"formats\": []}").put("/v1/plugin-preferences?tenant=pref-a").then().statusCode(400).body("field", equalTo("tenant"));
        as("pref-a").get("/v1/plugin-preferences?tenant=pref-a").then().statusCode(200).body("formats", hasItem("CLAP"));
        as("pref-a").get("/v1/plugin-preferences").then().statusCode(200).body("formats", hasItem("CLAP"));
    }

    @Test
    void feedbackMustBeAboutASuggestionThatWasMadeForTheCallersJob() {
        Arrangements.arranged("fb", "f1");
        given().filter(SignedEvents.SIGNED).contentType(ContentType.JSON).body("{\"tenant\": \"fb\", \"job\": \"f1\"}")
                .header("ce-specversion", "1.0").header("ce-id", "f1").header("ce-type", "dev.merlai.arrangement.completed").header("ce-source", "/t")
                .post("/").then().statusCode(200);
        String feedback = "{\"job\": \"f1\", \"track\": 2, \"verdict\": \"%s\", \"entry\": \"%s\"}";
        as("fb").body(feedback.formatted("loved", "x")).post("/v1/plugin-feedback").then().statusCode(400).body("field", equalTo("verdict"));
        as("fb").body(feedback.formatted("rejected", "gm-001")).post("/v1/plugin-feedback").then().statusCode(400).body("field", equalTo("entry"));
        as("fb").body(feedback.formatted("rejected", "x").replace("\"track\": 2", "\"track\": 9")).post("/v1/plugin-feedback")
                .then().statusCode(400).body("field", equalTo("track"));
        as("fb").body(feedback.formatted("rejected", "x").replace("f1", "nope")).post("/v1/plugin-feedback")
                .then().statusCode(400).body("field", equalTo("job"));
        String offered = PluginsDocument.offered(Arrangements.jobs().result("fb", "f1", PluginsDocument.FILE).orElseThrow(), 2).orElseThrow().ids().get(0);
        as("fb").body(feedback.formatted("replaced", offered)).post("/v1/plugin-feedback")
                .then().statusCode(400).body("field", equalTo("replacement"));
        as("fb").body(feedback.formatted("replaced", offered).replace("}", ", \"replacement\": \"test-plate-404\"}"))
                .post("/v1/plugin-feedback").then().statusCode(400).body("field", equalTo("replacement"));
        as("fb-other").body(feedback.formatted("accepted", offered)).post("/v1/plugin-feedback")
                .then().statusCode(400).body("field", equalTo("job")).body("detail", containsString("fb-other"));
        as("fb").body(feedback.formatted("accepted", offered)).post("/v1/plugin-feedback")
                .then().statusCode(201).body("verdict", equalTo("accepted")).body("role", equalTo("bass")).body("tenant", equalTo("fb"));
    }

    @Test
    void theOpenApiDocumentDescribesTheRoutes() {
        given().get("/q/openapi").then().statusCode(200)
                .body(containsString("/v1/plugins/{id}")).body(containsString("/v1/plugin-preferences")).body(containsString("/v1/plugin-feedback"))
                .body(containsString("/admin/plugins/{id}")).body(containsString("apiKey")).body(containsString("adminToken"));
    }

    @Test
    void requestHeadsOverTheLimitsAreProblems414And431() {
        OversizedRequests.assertEachIsAProblem("/v1/plugins");
    }
}
