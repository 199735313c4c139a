package dev.merlai.functions.complete;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merlai.events.EventTypes;
import dev.merlai.platform.http.InvalidRequestException;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThan;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The complete function, called twice as knative/func's template does: directly in Java, then over HTTP as a CloudEvent. */
@QuarkusTest
class CompleteFunctionTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Inject
    CompleteFunction function;

    private static JsonNode example() throws Exception {
        return MAPPER.readTree(Files.readAllBytes(Path.of(System.getProperty("merlai.repo.root", "../..")).resolve("examples/ode-to-joy.json")));
    }

    @Test
    void aDirectCallArrangesTheMelodyAndKeepsIt() throws Exception {
        CompletionRequest request = new CompletionRequest();
        request.score = example();
        request.seed = 3L;
        CompletionResult result = function.complete(request);
        JsonNode tracks = result.arrangement.get("tracks");
        assertEquals("MELODY", tracks.get(0).get("name").asText());
        assertEquals(example().get("tracks").get(0).get("notes").toString(), tracks.get(0).get("notes").toString());
        assertTrue(tracks.size() > 1, "accompaniment tracks were added");
        assertTrue(result.arrangement.get("chords").size() > 0);
        assertEquals(3L, result.seed);
        assertTrue(result.modelVersion.contains("merlai-chords@"));
    }

    @Test
    void aDirectCallWithAWrongFieldNamesIt() throws Exception {
        CompletionRequest request = new CompletionRequest();
        request.score = example();
        request.style = "jazz";
        InvalidRequestException error = assertThrows(InvalidRequestException.class, () -> function.complete(request));
        assertEquals("style", error.field());
    }

    @Test
    void aBinaryCloudEventIsAnsweredWithArrangementCompleted() throws Exception {
        String body = MAPPER.createObjectNode().put("seed", 9).set("score", example()).toString();
        given().contentType(ContentType.JSON)
                .header("ce-specversion", "1.0")
                .header("ce-id", "test-1")
                .header("ce-type", "complete")
                .header("ce-source", "/test")
                .body(body)
                .post("/")
                .then().statusCode(200)
                .header("ce-type", EventTypes.ARRANGEMENT_COMPLETED)
                .header("ce-source", EventTypes.COMPLETE_SOURCE)
                .body("arrangement.tracks[0].name", equalTo("MELODY"))
                .body("arrangement.tracks.size()", greaterThan(1))
                .body("seed", equalTo(9));
    }

    @Test
    void aPlainHttpPostGetsTheSameAnswer() throws Exception {
        given().contentType(ContentType.JSON)
                .body(MAPPER.createObjectNode().set("score", example()).toString())
                .post("/complete")
                .then().statusCode(200)
                .body("modelVersion", notNullValue());
    }

    @Test
    void badInputIsA400ProblemNamingTheField() {
        given().contentType(ContentType.JSON)
                .body("{\"score\": {\"tracks\": [{\"role\": \"melody\", \"notes\": [{\"pitch\": 500, \"onset\": 0, \"duration\": 10}]}]}}")
                .post("/complete")
                .then().statusCode(400)
                .contentType("application/problem+json")
                .body("field", equalTo("score.tracks[0].notes[0].pitch"))
                .body("detail", containsString("between 0 and 127"));
        given().contentType(ContentType.JSON).body("{}").post("/complete")
                .then().statusCode(400).body("field", equalTo("score"));
    }

    @Test
    void readinessWaitsForTheModels() {
        given().get("/q/health/ready").then().statusCode(200).body("checks[0].name", equalTo("models"));
    }
}
