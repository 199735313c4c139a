package dev.merlai.functions.complete;

import dev.merlai.events.ArrangementCompleted;
import dev.merlai.events.CompletionRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merlai.events.EventTypes;
import dev.merlai.platform.http.InvalidRequestException;
import dev.merlai.storage.JobRecord;
import dev.merlai.storage.JobState;
import dev.merlai.storage.JobStore;
import dev.merlai.storage.ObjectStore;
import dev.merlai.testing.Promtool;
import dev.merlai.testing.RedisResource;
import dev.merlai.testing.S3ProxyResource;
import dev.merlai.testing.SignedEvents;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The complete function against a real S3 server, called twice as knative/func's template does: directly in
 * Java, then over HTTP as the broker delivers a CloudEvent.
 */
@QuarkusTest
@QuarkusTestResource(S3ProxyResource.class)
@QuarkusTestResource(RedisResource.class)
class CompleteFunctionTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Inject
    CompleteFunction function;

    private final ObjectStore store = S3ProxyResource.store();
    private final JobStore jobs = new JobStore(store);

    private String auth;

    @BeforeEach
    void demoTenant() {
        auth = Accounts.bearer(Accounts.key("demo", "pro"));
    }

    private static Path repo() {
        return Path.of(System.getProperty("merlai.repo.root", "../.."));
    }

    private static JsonNode example() throws Exception {
        return MAPPER.readTree(Files.readAllBytes(repo().resolve("examples/ode-to-joy.json")));
    }

    private static CloudEvent<CompletionRequest> event(String id, CompletionRequest request) {
        request.tenant = "demo";
        return CloudEventBuilder.create().id(id).source("/test").type(EventTypes.MELODY_UPLOADED).build(request);
    }

    @Test
    void aDirectCallStoresTheArrangementAndKeepsTheMelody() throws Exception {
        CompletionRequest request = new CompletionRequest();
        request.score = example();
        request.seed = 3L;
        request.inline = true;
        CloudEvent<ArrangementCompleted> answer = function.complete(event("direct-1", request));
        ArrangementCompleted result = answer.data();
        assertEquals(EventTypes.ARRANGEMENT_COMPLETED, answer.type());
        assertEquals(result.job(), answer.subject());
        assertEquals("pop", result.style(), "the style is named for recommend-plugin, the default when the request gives none");
        String results = "tenants/demo/results/" + result.job() + "/";
        assertTrue(result.files().contains(results + "arrangement.json"), "the event points to the arrangement, even when asked inline: " + result.files());
        JsonNode tracks = MAPPER.readTree(store.get(results + "arrangement.json").orElseThrow()).get("tracks");
        assertEquals(example().get("tracks").get(0).get("notes").toString(), tracks.get(0).get("notes").toString());
        assertTrue(tracks.size() > 1, "accompaniment tracks were added");
        assertTrue(store.exists(results + "arrangement.mid"));
        JobRecord job = jobs.find("demo", result.job()).orElseThrow();
        assertEquals(JobState.RENDERING, job.state());
        assertEquals("inline", job.input());
        assertEquals(3, job.seed());
    }

    @Test
    void theSameEventDeliveredThreeTimesIsOneJobWithUnchangedResults() throws Exception {
        CompletionRequest request = new CompletionRequest();
        request.score = example();
        String job = function.complete(event("again-1", request)).data().job();
        byte[] arrangement = store.get("tenants/demo/results/" + job + "/arrangement.json").orElseThrow();
        byte[] record = store.get("tenants/demo/results/" + job + "/job.json").orElseThrow();
        for (int i = 0; i < 2; i++) assertEquals(job, function.complete(event("again-1", request)).data().job());
        assertArrayEquals(arrangement, store.get("tenants/demo/results/" + job + "/arrangement.json").orElseThrow());
        assertArrayEquals(record, store.get("tenants/demo/results/" + job + "/job.json").orElseThrow());
        assertEquals(1, store.list("tenants/demo/results/").stream().filter(k -> k.contains(job)).filter(k -> k.endsWith("job.json")).count());
    }

    @Test
    void anUploadEventIsAnsweredWithArrangementCompletedForItsJob() throws Exception {
        byte[] midi = Files.readAllBytes(repo().resolve("music/src/test/resources/midi/pop909-098.mid"));
        store.put("tenants/demo/inbox/pop909-098.mid", midi, "audio/midi");
        String subject = given().filter(SignedEvents.SIGNED).contentType(ContentType.JSON)
                .header("ce-specversion", "1.0")
                .header("ce-id", "upload-1")
                .header("ce-type", EventTypes.MELODY_UPLOADED)
                .header("ce-source", "/merlai/local/inbox")
                .body("{\"tenant\": \"demo\", \"key\": \"tenants/demo/inbox/pop909-098.mid\", \"seed\": 9, \"style\": \"lied\"}")
                .post("/")
                .then().statusCode(200)
                .header("ce-type", EventTypes.ARRANGEMENT_COMPLETED)
                .header("ce-source", EventTypes.COMPLETE_SOURCE)
                .body("tenant", equalTo("demo"))
                .body("files", hasItem(containsString("arrangement.mid")))
                .body("seed", equalTo(9))
                .body("style", equalTo("lied"))
                .extract().header("ce-subject");
        assertEquals("tenants/demo/inbox/pop909-098.mid", jobs.find("demo", subject).orElseThrow().input());
    }

    @Test
    void aMelodyDroppedIntoTheBucketCarriesItsOptionsAsObjectMetadata() throws Exception {
        byte[] midi = Files.readAllBytes(repo().resolve("music/src/test/resources/midi/pop909-098.mid"));
        store.put("tenants/demo/inbox/with-options.mid", midi, "audio/midi", Map.of("merlai-style", "lied", "merlai-seed", "11"));
        var request = new CompletionRequest();
        request.tenant = "demo";
        request.key = "tenants/demo/inbox/with-options.mid";
        ArrangementCompleted result = function.complete(CloudEventBuilder.create().id("upload-options").source("/test").build(request)).data();
        assertEquals("lied", result.style());
        assertEquals(11, result.seed());

        request.seed = 12L; // what the event says wins over the metadata
        assertEquals(12, function.complete(CloudEventBuilder.create().id("upload-options-2").source("/test").build(request)).data().seed());

        store.put("tenants/demo/inbox/form-options.mid", midi, "audio/midi", Map.of("merlai-intro", "1", "merlai-ending", "false", "merlai-variation", "0"));
        request.key = "tenants/demo/inbox/form-options.mid";
        ArrangementCompleted formed = function.complete(CloudEventBuilder.create().id("upload-options-4").source("/test").build(request)).data();
        assertTrue(formed.intro().endsWith("(the melody moved 1 bar later)"), formed.intro());
        assertEquals("none", formed.ending());

        store.put("tenants/demo/inbox/bad-options.mid", midi, "audio/midi", Map.of("merlai-seed", "eleven"));
        request.key = "tenants/demo/inbox/bad-options.mid";
        request.seed = null;
        InvalidRequestException refused = assertThrows(InvalidRequestException.class,
                () -> function.complete(CloudEventBuilder.create().id("upload-options-3").source("/test").build(request)));
        assertTrue(refused.getMessage().contains("x-amz-meta-merlai-seed"), refused.getMessage());

        store.put("tenants/demo/inbox/bad-humanize.mid", midi, "audio/midi", Map.of("merlai-humanize", "loud"));
        request.key = "tenants/demo/inbox/bad-humanize.mid";
        InvalidRequestException loud = assertThrows(InvalidRequestException.class,
                () -> function.complete(CloudEventBuilder.create().id("upload-options-5").source("/test").build(request)));
        assertTrue(loud.getMessage().contains("x-amz-meta-merlai-humanize"), loud.getMessage());
    }

    @Test
    void humanizeZeroPlaysTheGeneratedPartsOnTheGridAtEvenVelocities() throws Exception {
        given().header("Authorization", auth).contentType(ContentType.JSON)
                .body(MAPPER.createObjectNode().put("inline", true).put("humanize", 0.0).set("score", example()).toString())
                .post("/v1/completions")
                .then().statusCode(200)
                .body("arrangement.tracks.find { it.name == 'PIANO' }.notes.collect { it.velocity }.unique().size()", equalTo(1))
                .body("arrangement.tracks.find { it.name == 'PIANO' }.notes.findAll { it.onset % 120 != 0 }.size()", equalTo(0));
        given().header("Authorization", auth).contentType(ContentType.JSON)
                .body(MAPPER.createObjectNode().put("inline", true).put("humanize", 1.5).set("score", example()).toString())
                .post("/v1/completions")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("humanize"));
    }

    @Test
    void aDirectHttpCallerCanAskForTheArrangementSynchronously() throws Exception {
        given().header("Authorization", auth).contentType(ContentType.JSON)
                .body(MAPPER.createObjectNode().put("inline", true).set("score", example()).toString())
                .post("/v1/completions")
                .then().statusCode(200)
                .body("arrangement.tracks[0].name", equalTo("MELODY"))
                .body("arrangement.tracks.size()", greaterThan(1))
                .body("modelVersion", containsString("merlai-chords@"))
                .body("form", equalTo("A(1-4) A'(5-8) B(9-12) A'(13-16) outro(17-18)"))
                .body("ending", equalTo("bars 17-18, G:maj to C:maj"))
                .body("intro", equalTo("none"))
                .body("movedTicks", equalTo(0));
    }

    @Test
    void anIntroMovesTheSongAndTheAnswerSaysSo() throws Exception {
        given().header("Authorization", auth).contentType(ContentType.JSON)
                .body(MAPPER.createObjectNode().put("inline", true).put("intro", 2).put("ending", false).put("variation", 0.0).set("score", example()).toString())
                .post("/v1/completions")
                .then().statusCode(200)
                .body("intro", equalTo("bars 1-2 (the melody moved 2 bars later)"))
                .body("movedTicks", equalTo(2 * 4 * 480))
                .body("ending", equalTo("none"))
                .body("arrangement.tracks[0].notes[0].onset", equalTo(2 * 4 * 480));
    }

    @Test
    void chordsGivenForSomeBarsAreKeptAndTheAnswerListsEachPhrasesAlternatives() throws Exception {
        given().header("Authorization", auth).contentType(ContentType.JSON)
                .body(MAPPER.createObjectNode().put("inline", true).put("chords", "1-8: F Dm").put("reharmonize", "9-16")
                        .set("score", example()).toString())
                .post("/v1/completions")
                .then().statusCode(200)
                .body("arrangement.chords[0].name", equalTo("F"))
                .body("arrangement.chords[1].name", equalTo("Dm"))
                .body("chordAlternatives.bars", equalTo(java.util.List.of("9-16"))) // bars 1-8 were all given: nothing to choose there
                .body("chordAlternatives[0].progressions.size()", equalTo(3))
                .body("chordAlternatives[0].progressions[0].chords", startsWith("9: "));
    }

    @Test
    void badChordsAndBarsOutsideTheSongAreRefusedNamingTheField() throws Exception {
        for (String[] bad : new String[][]{{"chords", "C G Am F"}, {"chords", "1: Xq"}, {"chords", "40: C"}, {"reharmonize", "9-x"}}) {
            given().header("Authorization", auth).contentType(ContentType.JSON)
                    .body(MAPPER.createObjectNode().put(bad[0], bad[1]).set("score", example()).toString())
                    .post("/v1/completions")
                    .then().statusCode(400).contentType("application/problem+json").body("field", equalTo(bad[0]));
        }
    }

    @Test
    void aRetriedRequestWithTheSameIdempotencyKeyFindsItsJob() throws Exception {
        String body = MAPPER.createObjectNode().set("score", example()).toString();
        String first = given().header("Authorization", auth).contentType(ContentType.JSON).header("Idempotency-Key", "retry-1").body(body).post("/v1/completions")
                .then().statusCode(200).extract().path("job");
        given().header("Authorization", auth).contentType(ContentType.JSON).header("Idempotency-Key", "retry-1").body(body).post("/v1/completions")
                .then().statusCode(200).body("job", equalTo(first));
        String other = given().header("Authorization", auth).contentType(ContentType.JSON).body(body).post("/v1/completions").then().statusCode(200).extract().path("job");
        assertTrue(!other.equals(first), "without a key every request is a new job");
    }

    @Test
    void aCorruptUploadLeavesAFailedJobWithTheReasonAndA400() {
        store.put("tenants/demo/inbox/broken.mid", "MThd garbage".getBytes(), "audio/midi");
        given().filter(SignedEvents.SIGNED).contentType(ContentType.JSON)
                .header("ce-specversion", "1.0").header("ce-id", "broken-1")
                .header("ce-type", EventTypes.MELODY_UPLOADED).header("ce-source", "/test")
                .body("{\"tenant\": \"demo\", \"key\": \"tenants/demo/inbox/broken.mid\"}")
                .post("/")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("key"));
        JobRecord job = store.list("tenants/demo/results/").stream().filter(k -> k.endsWith("/job.json")).map(k -> JobRecord.fromJson(store.get(k).orElseThrow()))
                .filter(j -> j.input().equals("tenants/demo/inbox/broken.mid")).findFirst().orElseThrow();
        assertEquals(JobState.FAILED, job.state());
        assertTrue(job.error().contains("truncated") || job.error().length() > 10, job.error());
    }

    @Test
    void wrongFieldsAreNamed() throws Exception {
        given().header("Authorization", auth).contentType(ContentType.JSON)
                .body("{\"score\": {\"tracks\": [{\"role\": \"melody\", \"notes\": [{\"pitch\": 500, \"onset\": 0, \"duration\": 10}]}]}}")
                .post("/v1/completions")
                .then().statusCode(400).contentType("application/problem+json")
                .body("field", equalTo("score.tracks[0].notes[0].pitch"))
                .body("detail", containsString("between 0 and 127"));
        given().header("Authorization", auth).contentType(ContentType.JSON).body("{}").post("/v1/completions").then().statusCode(400).body("field", equalTo("key"));
        given().header("Authorization", auth).contentType(ContentType.JSON).body("[1,2").post("/v1/completions").then().statusCode(400).contentType("application/problem+json");
        CompletionRequest request = new CompletionRequest();
        request.score = example();
        request.style = "jazz";
        assertEquals("style", assertThrows(InvalidRequestException.class, () -> function.complete(event("style-1", request))).field());
        request.style = null;
        request.variation = 1.5;
        assertEquals("variation", assertThrows(InvalidRequestException.class, () -> function.complete(event("variation-1", request))).field());
        request.variation = null;
        request.intro = -1;
        assertEquals("intro", assertThrows(InvalidRequestException.class, () -> function.complete(event("intro-1", request))).field());
    }

    @Test
    void aKeyOutsideTheTenantIsRefused() {
        given().header("Authorization", auth).contentType(ContentType.JSON)
                .body("{\"tenant\": \"demo\", \"key\": \"tenants/other/inbox/song.mid\"}")
                .post("/v1/completions")
                .then().statusCode(400).body("field", equalTo("key"));
    }

    @Test
    void aJobCanBeLookedUpByIdAndAnUnknownOneIs404() throws Exception {
        CompletionRequest request = new CompletionRequest();
        request.score = example();
        String job = function.complete(event("status-1", request)).data().job();
        String link = given().header("Authorization", auth).get("/v1/jobs/" + job).then().statusCode(200).body("state", equalTo("rendering")).body("job", equalTo(job))
                .extract().path("links.'arrangement.mid'");
        try (var in = new java.net.URL(link).openStream()) {
            assertEquals('M', in.readAllBytes()[0], "the pre-signed link serves the MIDI file without credentials");
        }
        given().header("Authorization", auth).get("/v1/jobs/nope").then().statusCode(404).contentType("application/problem+json");
        given().header("Authorization", auth).get("/v1/jobs?input=inline").then().statusCode(200).body("jobs.job", hasItem(job));
        given().header("Authorization", auth).get("/v1/jobs?tenant=../x").then().statusCode(400).body("field", equalTo("tenant"));
        given().header("Authorization", auth).get("/v1/jobs/" + job + "?tenant=other").then().statusCode(400).body("field", equalTo("tenant"));
    }

    @Test
    void prometheusMetricsCountRequestsInferenceAndCacheLookups() throws Exception {
        CompletionRequest request = new CompletionRequest();
        request.score = example();
        function.complete(event("metrics-1", request));
        String metrics = given().accept(Promtool.TEXT_FORMAT).get("/q/metrics").then().statusCode(200)
                .body(containsString("merlai_cache_lookups_total"))
                .body(containsString("http_server_requests_seconds"))
                .extract().asString();
        assertTrue(java.util.regex.Pattern.compile("(?m)^# HELP merlai_cache_lookups_total \\S").matcher(metrics).find(), "HELP for the cache lookups");
        Promtool.assertLintsCleanWithHistogram(metrics, "merlai_arrange_seconds");
    }

    @Test
    void readinessTurnsUpOnceTheBaseModelsHaveLoadedAndReportsTheCache() throws InterruptedException {
        // the base models load beside the start-up, so the probe may answer 503 (models loading) at first
        long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(2);
        while (given().get("/q/health/ready").statusCode() != 200) {
            assertTrue(System.nanoTime() < deadline, "not ready 2 minutes after the start: " + given().get("/q/health/ready").asString());
            Thread.sleep(100);
        }
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'models' }.data.base", equalTo("ready"))
                .body("checks.find { it.name == 'models' }.data.version", containsString("merlai-chords@"))
                .body("checks.name", hasItem("cache"));
    }
}
