package dev.merlai.functions.complete;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.merlai.events.EventTypes;
import dev.merlai.testing.SignedEvents;
import dev.merlai.storage.JobRecord;
import dev.merlai.storage.JobState;
import dev.merlai.storage.ObjectStore;
import dev.merlai.testing.OversizedRequests;
import dev.merlai.testing.RedisResource;
import dev.merlai.testing.S3ProxyResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Requests an attacker or a careless client sends: each is a 4xx problem naming what is wrong, never a 500, never a job
 * left behind in a non-final state, never billed twice.
 */
@QuarkusTest
@QuarkusTestResource(S3ProxyResource.class)
@QuarkusTestResource(RedisResource.class)
class HostileRequestsTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private final ObjectStore store = S3ProxyResource.store();
    private String auth;

    @BeforeEach
    void tenant() {
        auth = Accounts.bearer(Accounts.key("careless", "pro"));
    }

    private static byte[] ode() throws Exception {
        return Files.readAllBytes(Path.of(System.getProperty("merlai.repo.root", "../..")).resolve("examples/ode-to-joy.json"));
    }

    private List<JobRecord> jobsOf(String tenant) {
        return store.list("tenants/" + tenant + "/results/").stream().filter(k -> k.endsWith("/job.json"))
                .map(k -> JobRecord.fromJson(store.get(k).orElseThrow())).toList();
    }

    private io.restassured.response.ValidatableResponse post(String body) {
        return given().header("Authorization", auth).contentType(ContentType.JSON).body(body).post("/v1/completions").then();
    }

    @Test
    void malformedBodiesAreProblemsNamingTheField() throws Exception {
        String ode = new String(ode());
        post("null").statusCode(400).contentType("application/problem+json").body("field", equalTo("body")).body("detail", containsString("null"));
        post("{\"score\": " + ode + "} trailing").statusCode(400).contentType("application/problem+json").body("field", equalTo("body"));
        post("{\"score\": " + ode + ", \"seed\": 1.5}").statusCode(400).body("field", equalTo("seed"));
        post("{\"score\": " + ode + ", \"bars\": 3}").statusCode(400).body("field", equalTo("bars"));
        post("{\"score\": " + ode + ", \"seed\": \"7\"}").statusCode(400).body("field", equalTo("seed"));
    }

    @Test
    void theSameIdempotencyKeyWithAnotherBodyIsAConflict() throws Exception {
        String ode = new String(ode());
        String first = given().header("Authorization", auth).header("Idempotency-Key", "conflict-1").contentType(ContentType.JSON)
                .body("{\"score\": " + ode + ", \"style\": \"pop\"}").post("/v1/completions").then().statusCode(200).extract().path("job");
        given().header("Authorization", auth).header("Idempotency-Key", "conflict-1").contentType(ContentType.JSON)
                .body("{\"score\": " + ode + ", \"style\": \"pop\"}").post("/v1/completions").then().statusCode(200).body("job", equalTo(first));
        given().header("Authorization", auth).header("Idempotency-Key", "conflict-1").contentType(ContentType.JSON)
                .body("{\"score\": " + ode + ", \"style\": \"lied\"}").post("/v1/completions")
                .then().statusCode(422).contentType("application/problem+json")
                .body("type", equalTo("https://merlai.dev/problems/idempotency-conflict")).body("detail", containsString("another request"));
    }

    @Test
    void anObjectOverTheInputLimitIsA413WithoutBeingRead() {
        store.put("tenants/careless/inbox/huge.mid", new byte[(8 << 20) + 1], "audio/midi");
        post("{\"key\": \"tenants/careless/inbox/huge.mid\"}").statusCode(413).contentType("application/problem+json")
                .body("field", equalTo("key")).body("type", equalTo("https://merlai.dev/problems/too-large"));
        assertTrue(jobsOf("careless").stream().filter(j -> j.input().endsWith("huge.mid")).allMatch(j -> j.state() == JobState.FAILED));
    }

    @Test
    void aScoreOverTheNoteLimitOrWithAHugeTrackNameFailsItsJobAtOnce() throws Exception {
        ObjectNode many = MAPPER.createObjectNode();
        ArrayNode notes = many.putArray("tracks").addObject().put("role", "melody").putArray("notes");
        for (int i = 0; i < 20_001; i++) notes.addObject().put("pitch", 60 + i % 12).put("onset", i * 240L).put("duration", 240);
        post("{\"score\": " + many + "}").statusCode(400).body("detail", containsString("notes"));

        ObjectNode named = (ObjectNode) MAPPER.readTree(ode());
        ((ObjectNode) named.get("tracks").get(0)).put("name", "n".repeat(1 << 20));
        post("{\"score\": " + named + "}").statusCode(400).body("field", equalTo("score.tracks[0].name"));
        List<JobRecord> jobs = jobsOf("careless");
        assertTrue(jobs.stream().noneMatch(j -> j.state() == JobState.COMPLETING || j.state() == JobState.QUEUED), "no job is left behind: " + jobs);
    }

    @Test
    void theSameBytesUploadedAgainAreOneJobBilledOnce() throws Exception {
        store.put("tenants/careless/inbox/retry.json", ode(), "application/json");
        String first = uploadEvent("upload-a", "tenants/careless/inbox/retry.json").statusCode(200).extract().header("ce-subject");
        store.put("tenants/careless/inbox/retry.json", ode(), "application/json"); // a client's retry after a timeout: a new version, the same bytes
        String second = uploadEvent("upload-b", "tenants/careless/inbox/retry.json").statusCode(200).extract().header("ce-subject");
        assertEquals(first, second);
        assertEquals(1, store.list("system/usage/careless/").stream().filter(k -> k.endsWith("/bars.json")).count());
    }

    @Test
    void anUploadWithUnusableOptionsLeavesAFailedJobSayingWhy() throws Exception {
        store.put("tenants/careless/inbox/bad-options.json", ode(), "application/json", Map.of("merlai-seed", "seven"));
        uploadEvent("bad-options-1", "tenants/careless/inbox/bad-options.json").statusCode(400);
        store.put("tenants/careless/inbox/bad-style.json", ode(), "application/json", Map.of("merlai-style", "jazz"));
        uploadEvent("bad-style-1", "tenants/careless/inbox/bad-style.json").statusCode(400);
        for (String name : List.of("bad-options.json", "bad-style.json")) {
            JobRecord job = jobsOf("careless").stream().filter(j -> j.input().endsWith(name)).findFirst().orElseThrow();
            assertEquals(JobState.FAILED, job.state());
            assertTrue(job.error().contains("options"), job.error());
        }
    }

    private io.restassured.response.ValidatableResponse uploadEvent(String id, String key) {
        return given().filter(SignedEvents.SIGNED).contentType(ContentType.JSON)
                .header("ce-specversion", "1.0").header("ce-id", id)
                .header("ce-type", EventTypes.MELODY_UPLOADED).header("ce-source", "/merlai/local/inbox")
                .body(Map.of("tenant", "careless", "key", key)).post("/").then();
    }

    @Test
    void aPathNoRouteHasIsAProblem404() {
        given().header("Authorization", auth).get("/v1/jobs/..").then().statusCode(404).contentType("application/problem+json");
        given().get("/no/such/path").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void aMethodTheRouteDoesNotTakeIsAProblem405() {
        given().header("Authorization", auth).delete("/v1/completions").then().statusCode(405).contentType("application/problem+json");
    }

    @Test
    void aBodyOverTheLimitIsAProblem413() {
        given().header("Authorization", auth).contentType(ContentType.JSON).body(new byte[(8 << 20) + 1]).post("/v1/completions")
                .then().statusCode(413).contentType("application/problem+json").body("field", equalTo("body"));
    }

    @Test
    void requestHeadsOverTheLimitsAreProblems414And431() {
        OversizedRequests.assertEachIsAProblem("/v1/jobs/some-job");
    }

    @Test
    void randomPathsAddNoMetricSeries() {
        for (int i = 0; i < 3; i++) given().get("/v1/jobs/random-job-" + i).then().statusCode(401);
        given().get("/random-path-xyz").then().statusCode(404);
        given().get("/q/metrics").then().statusCode(200).body(not(containsString("random-job-"))).body(not(containsString("random-path-xyz")));
    }
}
