package dev.merlai.functions.recommend;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merlai.events.ArrangementCompleted;
import dev.merlai.events.EventTypes;
import dev.merlai.events.PluginsRecommended;
import dev.merlai.platform.http.InvalidRequestException;
import dev.merlai.platform.http.ProblemException;
import dev.merlai.plugins.Catalog;
import dev.merlai.plugins.CatalogStore;
import dev.merlai.plugins.Feedback;
import dev.merlai.plugins.PluginEntry;
import dev.merlai.plugins.TenantPluginStore;
import dev.merlai.storage.JobState;
import dev.merlai.tenancy.TenantRegistry;
import dev.merlai.testing.Promtool;
import dev.merlai.testing.RedisResource;
import dev.merlai.testing.S3ProxyResource;
import dev.merlai.testing.SignedEvents;
import io.quarkus.funqy.knative.events.CloudEventBuilder;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** recommend-plugin against a real S3 server and Redis: called directly, and as the broker delivers dev.merlai.arrangement.completed. */
@QuarkusTest
@QuarkusTestResource(S3ProxyResource.class)
@QuarkusTestResource(RedisResource.class)
class RecommendFunctionTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Inject
    RecommendFunction function;

    @Inject
    RedisDataSource redis;

    @Inject
    TenantRegistry registry;

    /** The tenant's credentials, as its API key would be sent: {@code Bearer <key>}. */
    private String bearer(String tenant) {
        return "Bearer " + registry.issueKey(tenant, "pro").apiKey();
    }

    /** What complete announces of a job, as far as recommend-plugin reads it: tenant and job, no style. */
    private static ArrangementCompleted request(String tenant, String job) {
        return new ArrangementCompleted(tenant, job, null, List.of(), "test", 1, 0, 0, null, null, null, null, null, 0, null, null);
    }

    private PluginsRecommended recommend(String tenant, String job) throws InvalidRequestException, ProblemException {
        var answer = function.recommend(CloudEventBuilder.create().id(job + "-e").source("/test").build(request(tenant, job)));
        assertEquals(EventTypes.PLUGINS_RECOMMENDED, answer.type());
        assertEquals(job, answer.subject());
        return answer.data();
    }

    private static JsonNode plugins(String tenant, String job) throws Exception {
        return MAPPER.readTree(Arrangements.jobs().result(tenant, job, "plugins.json").orElseThrow());
    }

    private static JsonNode track(JsonNode plugins, String name) {
        for (JsonNode t : plugins.get("tracks")) if (t.get("name").asText().equals(name)) return t;
        throw new AssertionError("no track " + name + " in " + plugins);
    }

    @Test
    void writesRankedSuggestionsWithReasonsForEveryPlayingTrack() throws Exception {
        Arrangements.arranged("demo", "p1");
        PluginsRecommended result = recommend("demo", "p1");
        assertEquals("tenants/demo/results/p1/plugins.json", result.file());
        assertNull(result.error());

        JsonNode plugins = plugins("demo", "p1");
        for (JsonNode t : plugins.get("tracks")) {
            assertEquals(t.get("gmProgram").asInt(), result.programs().get(t.get("index").asInt()), "the event carries the program render-midi plays");
        }
        for (String name : List.of("MELODY", "PIANO", "BASS")) {
            JsonNode t = track(plugins, name);
            assertEquals(3, t.get("recommendations").size(), name);
            for (JsonNode r : t.get("recommendations")) {
                assertFalse(r.get("reasons").isEmpty(), name + " reasons");
                assertEquals(t.get("recommendations").get(0).get("gmProgram").asInt(), t.get("gmProgram").asInt(), "the preview plays the top suggestion");
            }
        }
        assertTrue(Set.of("electric-bass", "acoustic-bass", "synth-bass").contains(track(plugins, "BASS").get("recommendations").get(0).get("category").asText()));
        assertEquals("low", track(plugins, "BASS").get("profile").get("register").asText());
        assertTrue(track(plugins, "PIANO").get("profile").get("chordal").asBoolean());
        assertEquals(0, track(plugins, "CHORDS").get("recommendations").size(), "chord labels play nothing");

        var job = Arrangements.jobs().find("demo", "p1").orElseThrow();
        assertTrue(job.files().contains("plugins.json"), job.files().toString());
        assertEquals(JobState.RENDERING, job.state(), "render-midi finishes the job");
        assertTrue(S3ProxyResource.store().exists(CatalogStore.KEY), "the catalog is seeded into the store");
    }

    @Test
    void answersTheArrangementCompletedEventWithPluginsRecommended() {
        Arrangements.arranged("demo", "p2");
        given().filter(SignedEvents.SIGNED).contentType(ContentType.JSON)
                .header("ce-specversion", "1.0").header("ce-id", "p2-arranged")
                .header("ce-type", EventTypes.ARRANGEMENT_COMPLETED).header("ce-source", EventTypes.COMPLETE_SOURCE)
                .header("ce-subject", "p2")
                .body("{\"tenant\": \"demo\", \"job\": \"p2\", \"modelVersion\": \"ignored\"}")
                .post("/")
                .then().statusCode(200)
                .header("ce-type", EventTypes.PLUGINS_RECOMMENDED)
                .header("ce-source", EventTypes.RECOMMEND_SOURCE)
                .header("ce-subject", "p2")
                .body("file", endsWith("p2/plugins.json"));
    }

    /** Delivers dev.merlai.arrangement.completed as the broker does, with complete's data. */
    private static void deliverArrangementCompleted(String completionResult) {
        given().filter(SignedEvents.SIGNED).contentType(ContentType.JSON)
                .header("ce-specversion", "1.0").header("ce-id", "arranged-" + completionResult.hashCode())
                .header("ce-type", EventTypes.ARRANGEMENT_COMPLETED).header("ce-source", EventTypes.COMPLETE_SOURCE)
                .body(completionResult).post("/").then().statusCode(200);
    }

    @Test
    void theStyleCompleteNamesDecidesWhatSuitsTheSong() throws Exception {
        Arrangements.arranged("demo", "lied-1");
        Arrangements.arranged("demo", "pop-1");
        deliverArrangementCompleted("{\"tenant\": \"demo\", \"job\": \"lied-1\", \"style\": \"lied\", \"seed\": 1, \"bars\": 8}");
        deliverArrangementCompleted("{\"tenant\": \"demo\", \"job\": \"pop-1\", \"style\": \"pop\", \"seed\": 1, \"bars\": 8}");

        JsonNode lied = plugins("demo", "lied-1"), pop = plugins("demo", "pop-1");
        assertEquals("lied", lied.get("style").asText());
        assertEquals("pop", pop.get("style").asText());
        JsonNode liedBass = track(lied, "BASS").get("recommendations").get(0);
        assertEquals("acoustic-bass", liedBass.get("category").asText(), "a lied's bass line is a double bass: " + liedBass);
        assertTrue(liedBass.get("reasons").toString().contains("in lied"), liedBass.get("reasons").toString());
        assertTrue(Set.of("electric-bass", "synth-bass").contains(track(pop, "BASS").get("recommendations").get(0).get("category").asText()),
                "the same line in a pop song is an electric or synth bass");
        for (JsonNode r : track(lied, "PIANO").get("recommendations")) {
            assertEquals("acoustic-piano", r.get("category").asText(), "a lied is accompanied on a grand piano: " + r.get("id"));
        }
    }

    @Test
    void prometheusMetricsHoldTheRecommendTimeAsAHistogramThatPromtoolAccepts() throws Exception {
        Arrangements.arranged("demo", "m1");
        recommend("demo", "m1");
        String metrics = given().accept(Promtool.TEXT_FORMAT).get("/q/metrics").then().statusCode(200).extract().asString();
        Promtool.assertLintsCleanWithHistogram(metrics, "merlai_recommend_seconds");
    }

    @Test
    void anUnknownJobIsA400ProblemAndNotRetried() {
        assertThrows(InvalidRequestException.class, () -> recommend("demo", "missing"));
        given().filter(SignedEvents.SIGNED).contentType(ContentType.JSON)
                .header("ce-specversion", "1.0").header("ce-id", "bad-1")
                .header("ce-type", EventTypes.ARRANGEMENT_COMPLETED).header("ce-source", "/test")
                .body("{\"tenant\": \"demo\", \"job\": \"../../etc\"}")
                .post("/")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("job"));
    }

    @Test
    void anUnreadableArrangementStillAnswersSoTheJobIsRendered() throws Exception {
        Arrangements.arranged("demo", "p3", "{\"format\": \"not a score\"}".getBytes());
        PluginsRecommended result = recommend("demo", "p3");
        assertTrue(result.error().startsWith("no suggestions"), result.error());
        assertTrue(plugins("demo", "p3").get("error").asText().startsWith("no suggestions"));
    }

    @Test
    void theTenantsPreferencesFilterEverySuggestion() throws Exception {
        given().header("Authorization", bearer("linux-studio")).contentType(ContentType.JSON).body("{\"formats\": [\"LV2\"], \"os\": [\"linux\"], \"freeOnly\": true}")
                .put("/v1/plugin-preferences").then().statusCode(200);
        Arrangements.arranged("linux-studio", "p4");
        recommend("linux-studio", "p4");
        Catalog catalog = Catalog.seed();
        int plugins = 0;
        for (JsonNode t : plugins("linux-studio", "p4").get("tracks")) {
            for (JsonNode r : t.get("recommendations")) {
                PluginEntry e = catalog.find(r.get("id").asText()).orElseThrow();
                if (e.isFallback()) continue;
                plugins++;
                assertTrue(e.formats().contains("LV2") && e.os().contains("linux") && e.isFree(), e.id() + " crosses the tenant's filters");
            }
        }
        assertTrue(plugins > 0, "free Linux LV2 instruments exist (Surge XT, Vital, ...) and are suggested");
    }

    /** Arranges the test song as the tenant's job, lets the function suggest, and returns the suggestions for its bass line. */
    private JsonNode suggestedBass(String tenant, String job) throws Exception {
        Arrangements.arranged(tenant, job);
        recommend(tenant, job);
        return track(plugins(tenant, job), "BASS");
    }

    private static String top(JsonNode track) {
        return track.get("recommendations").get(0).get("id").asText();
    }

    @Test
    void feedbackChangesThatTenantsRankingsOnlyAndSurvivesLosingRedis() throws Exception {
        JsonNode bass = suggestedBass("alice", "a1");
        JsonNode bobsBass = suggestedBass("bob", "b1");
        String top = top(bass);
        assertEquals(top, top(bobsBass), "same song, same ranking");
        String wanted = "spectrasonics-trilian".equals(top) ? "ik-modo-bass-2" : "spectrasonics-trilian";

        given().header("Authorization", bearer("alice")).contentType(ContentType.JSON)
                .body("{\"job\": \"a1\", \"track\": " + bass.get("index").asInt() + ", \"verdict\": \"replaced\", \"entry\": \"" + top + "\", \"replacement\": \"" + wanted + "\"}")
                .post("/v1/plugin-feedback").then().statusCode(201).body("role", equalTo("bass"));

        JsonNode aliceBass = suggestedBass("alice", "a2");
        assertEquals(wanted, top(aliceBass));
        assertTrue(aliceBass.get("recommendations").get(0).get("reasons").toString().contains("your feedback on bass tracks raised it"));
        assertEquals(bobsBass, suggestedBass("bob", "b2"), "bob's rankings do not move");
        assertEquals(track(plugins("alice", "a1"), "PIANO").get("recommendations"), track(plugins("alice", "a2"), "PIANO").get("recommendations"),
                "feedback on a bass line leaves the piano alone");

        redis.flushall();
        assertEquals(wanted, top(suggestedBass("alice", "a3")), "rebuilt from the stored feedback");
    }

    @Test
    void anotherTenantsFeedbackNeverMovesATenantsRankingsEvenWhenItNamesThatTenant() throws Exception {
        JsonNode bass = suggestedBass("quiet", "q1");
        suggestedBass("meddler", "m1");
        String rejectTop = "{\"job\": \"%s\", \"track\": " + bass.get("index").asInt() + ", \"verdict\": \"rejected\", \"entry\": \"" + top(bass) + "\"}";
        String meddler = bearer("meddler");

        given().header("Authorization", meddler).contentType(ContentType.JSON).body(rejectTop.formatted("q1"))
                .post("/v1/plugin-feedback?tenant=quiet").then().statusCode(400).contentType("application/problem+json").body("field", equalTo("tenant"));
        given().header("Authorization", meddler).contentType(ContentType.JSON).body(rejectTop.formatted("q1"))
                .post("/v1/plugin-feedback").then().statusCode(400).body("field", equalTo("job"));
        given().header("Authorization", meddler).contentType(ContentType.JSON).body("{\"os\": [\"linux\"], \"freeOnly\": true}")
                .put("/v1/plugin-preferences?tenant=quiet").then().statusCode(400).body("field", equalTo("tenant"));
        given().header("Authorization", meddler).contentType(ContentType.JSON).body(rejectTop.formatted("m1"))
                .post("/v1/plugin-feedback").then().statusCode(201).body("tenant", equalTo("meddler"));

        assertEquals(bass, suggestedBass("quiet", "q2"), "the quiet tenant's rankings do not move");
        assertNotEquals(top(bass), top(suggestedBass("meddler", "m2")), "the meddler's own feedback counts for it");
    }

    @Test
    void feedbackStoredByAnotherReplicaCountsAtOnceThoughRedisHeldTheTenantsAffinities() throws Exception {
        JsonNode bass = suggestedBass("erin", "e1"); // caches erin's (empty) affinities in Redis
        new TenantPluginStore(S3ProxyResource.store()).append(new Feedback("erin", "e1", bass.get("index").asInt(), "bass",
                Feedback.Verdict.REJECTED, top(bass), null, java.time.Instant.now()));
        assertNotEquals(top(bass), top(suggestedBass("erin", "e2")));
    }

    @Test
    void withoutFeedbackTheSameArrangementGetsTheSameSuggestions() throws Exception {
        Arrangements.arranged("carol", "c1");
        Arrangements.arranged("carol", "c2");
        recommend("carol", "c1");
        recommend("carol", "c2");
        List<JsonNode> first = new ArrayList<>(), second = new ArrayList<>();
        plugins("carol", "c1").get("tracks").forEach(first::add);
        plugins("carol", "c2").get("tracks").forEach(second::add);
        assertEquals(first, second);
    }
}
