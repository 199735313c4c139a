package dev.merlai.functions.recommend;

import dev.merlai.plugins.PluginsDocument;
import dev.merlai.testing.RedisResource;
import dev.merlai.testing.S3ProxyResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.not;

/** The catalog, preferences and feedback API over HTTP, against a real S3 server and Redis. */
@QuarkusTest
@QuarkusTestResource(S3ProxyResource.class)
@QuarkusTestResource(RedisResource.class)
class PluginRoutesTest {

    private static final String TOKEN = "test-admin-token";

    private static final String REVERB = """
            {"id": "test-plate", "name": "Test Plate", "vendor": "Merlai tests", "kind": "effect", "formats": ["VST3"],
             "os": ["linux"], "licence": "free", "priceBand": "free", "categories": ["reverb"], "tags": ["plate"],
             "registers": [], "articulations": [], "styles": []}""";

    private static RequestSpecification admin() {
        return given().header("Authorization", "Bearer " + TOKEN).contentType(ContentType.JSON);
    }

    @Test
    void listsAndSearchesTheCatalogByTagFormatOsAndLicence() {
        given().get("/v1/plugins").then().statusCode(200)
                .body("count", greaterThanOrEqualTo(60 + 128)).body("entries.id", hasItems("surge-xt", "spectrasonics-omnisphere", "gm-001"));
        given().get("/v1/plugins?tag=felt&format=VST3&os=windows&licence=paid").then().statusCode(200)
                .body("entries.id", hasItem("ni-noire")).body("entries.licence", everyItem(equalTo("paid")));
        given().get("/v1/plugins?format=CLAP&os=linux&licence=free&kind=instrument").then().statusCode(200)
                .body("entries.id", hasItem("surge-xt")).body("entries.id", not(hasItem("vital")));
        given().get("/v1/plugins/dexed").then().statusCode(200).body("entry.vendor", equalTo("Digital Suburban"));
        given().get("/v1/plugins/no-such-thing").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void onlyTheAdminChangesTheCatalogAndEachChangeIsTheNextVersion() {
        int before = given().get("/v1/plugins").then().extract().path("version");
        given().contentType(ContentType.JSON).body(REVERB).post("/v1/plugins").then().statusCode(403).contentType("application/problem+json");
        given().header("Authorization", "Bearer wrong").contentType(ContentType.JSON).body(REVERB).post("/v1/plugins").then().statusCode(403);

        admin().body(REVERB).post("/v1/plugins").then().statusCode(201).body("version", equalTo(before + 1));
        admin().body(REVERB).post("/v1/plugins").then().statusCode(409);
        admin().body(REVERB.replace("Test Plate", "Test Plate II")).put("/v1/plugins/test-plate").then().statusCode(200)
                .body("version", equalTo(before + 2)).body("entry.name", equalTo("Test Plate II"));
        given().get("/v1/plugins/test-plate").then().statusCode(200).body("entry.name", equalTo("Test Plate II"));
        admin().delete("/v1/plugins/test-plate").then().statusCode(200).body("version", equalTo(before + 3));
        given().get("/v1/plugins/test-plate").then().statusCode(404);
        admin().delete("/v1/plugins/gm-034").then().statusCode(409);
        admin().delete("/v1/plugins/test-plate").then().statusCode(404);
    }

    @Test
    void aBadEntryIsA400NamingTheField() {
        admin().body(REVERB.replace("\"VST3\"", "\"VST4\"")).post("/v1/plugins").then().statusCode(400)
                .contentType("application/problem+json").body("field", equalTo("formats[0]"));
        admin().body(REVERB.replace("\"vendor\": \"Merlai tests\",", "")).post("/v1/plugins").then().statusCode(400).body("field", equalTo("vendor"));
        admin().body(REVERB.replace("\"priceBand\": \"free\"", "\"priceBand\": \"over-300\"")).post("/v1/plugins").then().statusCode(400).body("field", equalTo("priceBand"));
        admin().body("not json").post("/v1/plugins").then().statusCode(400);
    }

    @Test
    void preferencesAreStoredPerTenantAndCheckedValueByValue() {
        given().contentType(ContentType.JSON).body("{\"formats\": [\"clap\"], \"os\": [\"Linux\"]}").put("/v1/plugin-preferences?tenant=pref-a")
                .then().statusCode(200).body("formats", hasItem("CLAP")).body("os", hasItem("linux")).body("freeOnly", equalTo(false));
        given().get("/v1/plugin-preferences?tenant=pref-a").then().statusCode(200).body("formats", hasItem("CLAP"));
        given().get("/v1/plugin-preferences?tenant=pref-b").then().statusCode(200).body("formats.size()", equalTo(0));
        given().contentType(ContentType.JSON).body("{\"os\": [\"beos\"]}").put("/v1/plugin-preferences?tenant=pref-a")
                .then().statusCode(400).body("field", equalTo("os[0]")).body("detail", containsString("beos"));
        given().contentType(ContentType.JSON).body("{\"formats\": []}").put("/v1/plugin-preferences?tenant=../x").then().statusCode(400).body("field", equalTo("tenant"));
    }

    @Test
    void feedbackMustBeAboutASuggestionThatWasMade() {
        Arrangements.arranged("fb", "f1");
        given().contentType(ContentType.JSON).body("{\"tenant\": \"fb\", \"job\": \"f1\"}")
                .header("ce-specversion", "1.0").header("ce-id", "f1").header("ce-type", "dev.merlai.arrangement.completed").header("ce-source", "/t")
                .post("/").then().statusCode(200);
        String feedback = "{\"job\": \"f1\", \"track\": 2, \"verdict\": \"%s\", \"entry\": \"%s\"}";
        given().contentType(ContentType.JSON).body(feedback.formatted("loved", "x")).post("/v1/plugin-feedback?tenant=fb").then().statusCode(400).body("field", equalTo("verdict"));
        given().contentType(ContentType.JSON).body(feedback.formatted("rejected", "gm-001")).post("/v1/plugin-feedback?tenant=fb").then().statusCode(400).body("field", equalTo("entry"));
        given().contentType(ContentType.JSON).body(feedback.formatted("rejected", "x").replace("\"track\": 2", "\"track\": 9")).post("/v1/plugin-feedback?tenant=fb")
                .then().statusCode(400).body("field", equalTo("track"));
        given().contentType(ContentType.JSON).body(feedback.formatted("rejected", "x").replace("f1", "nope")).post("/v1/plugin-feedback?tenant=fb")
                .then().statusCode(400).body("field", equalTo("job"));
        String offered = PluginsDocument.offered(Arrangements.jobs().result("fb", "f1", PluginsDocument.FILE).orElseThrow(), 2).orElseThrow().ids().get(0);
        given().contentType(ContentType.JSON).body(feedback.formatted("replaced", offered)).post("/v1/plugin-feedback?tenant=fb")
                .then().statusCode(400).body("field", equalTo("replacement"));
        given().contentType(ContentType.JSON).body(feedback.formatted("replaced", offered).replace("}", ", \"replacement\": \"test-plate-404\"}"))
                .post("/v1/plugin-feedback?tenant=fb").then().statusCode(400).body("field", equalTo("replacement"));
        given().contentType(ContentType.JSON).body(feedback.formatted("accepted", offered)).post("/v1/plugin-feedback?tenant=fb")
                .then().statusCode(201).body("verdict", equalTo("accepted")).body("role", equalTo("bass"));
    }

    @Test
    void theOpenApiDocumentDescribesTheRoutes() {
        given().get("/q/openapi").then().statusCode(200)
                .body(containsString("/v1/plugins/{id}")).body(containsString("/v1/plugin-preferences")).body(containsString("/v1/plugin-feedback"));
    }
}
