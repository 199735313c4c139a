package dev.merlai.functions.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merlai.events.EventTypes;
import dev.merlai.storage.ObjectStore;
import dev.merlai.testing.S3ProxyResource;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Predicate;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * train-trigger against a real S3 server, the real training code (quick settings) as a child process and a real HTTP
 * endpoint in the broker's place: a good set becomes a model, a bad one is refused file by file, a cancel stops the
 * process, a tenant's running jobs are limited, and the events come in the documented order.
 */
@QuarkusTest
@QuarkusTestResource(S3ProxyResource.class)
@QuarkusTestResource(EventSinkResource.class)
class TrainTriggerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> LIEDER = List.of("lc5729860.mxl", "lc5978033.mxl", "lc6488630.mxl", "lc8718660.mxl");

    @Inject
    TrainFunction function;

    private final ObjectStore store = S3ProxyResource.store();

    private static Path repo() {
        return Path.of(System.getProperty("merlai.repo.root", "../.."));
    }

    /** Four real Lieder (voice + piano) uploaded as a tenant's training set. */
    private void uploadGoodSet(String tenant, String set) throws Exception {
        for (String file : LIEDER) {
            store.put("tenants/" + tenant + "/training/" + set + "/" + file,
                    Files.readAllBytes(repo().resolve("music/src/test/resources/musicxml/" + file)), "application/vnd.recordare.musicxml");
        }
    }

    private static JsonNode awaitJob(String tenant, String model, Predicate<JsonNode> until, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            JsonNode job = MAPPER.readTree(given().queryParam("tenant", tenant).get("/v1/training/" + model)
                    .then().statusCode(200).extract().asString());
            if (until.test(job)) return job;
            if (Instant.now().isAfter(deadline)) throw new AssertionError("job " + model + " still " + job.path("state") + " after " + timeout);
            Thread.sleep(300);
        }
    }

    private static List<Long> trainingProcesses() {
        return ProcessHandle.current().descendants()
                .filter(p -> p.info().commandLine().orElse("").contains("merlai_training finetune")).map(ProcessHandle::pid).toList();
    }

    @Test
    void aGoodSetTrainsAndTheModelLandsInTheTenantsFolderWithTheDocumentedEvents() throws Exception {
        uploadGoodSet("acme", "my-lieder");
        String model = given().contentType(ContentType.JSON)
                .body("{\"tenant\": \"acme\", \"set\": \"my-lieder\", \"style\": \"lied\", \"quick\": true}")
                .post("/v1/training")
                .then().statusCode(202)
                .body("state", equalTo("queued"))
                .body("pieces.accepted", hasItems(true, true, true, true))
                .extract().path("model");
        JsonNode job = awaitJob("acme", model, j -> !j.path("state").asText().matches("queued|training"), Duration.ofMinutes(5));
        assertEquals("done", job.path("state").asText(), job.toString());
        assertTrue(job.path("trainingSeconds").asDouble() > 0, "training time is recorded for metering");
        assertTrue(job.path("trainingMinutes").asDouble() > 0);
        assertEquals("local", job.path("launcher").asText());
        for (String file : List.of("merlai-chords.onnx", "merlai-texture.onnx", "merlai-chords.json", "merlai-texture.json", "merlai-downbeat.onnx", "merlai-downbeat.json", "MODEL_CARD.md")) {
            assertTrue(store.exists("tenants/acme/models/" + model + "/" + file), file);
        }
        assertTrue(store.list("tenants/acme/models/" + model + "/pieces/").size() == 4, "the accepted pieces are kept as trained on");

        List<EventSinkResource.Received> events = EventSinkResource.about(model);
        List<String> types = events.stream().map(EventSinkResource.Received::type).toList();
        assertEquals(EventTypes.TRAINING_PROGRESS, types.get(0));
        assertEquals("training", MAPPER.readTree(events.get(0).data()).path("state").asText());
        assertEquals(EventTypes.TRAINING_COMPLETED, types.get(types.size() - 1));
        assertTrue(types.subList(0, types.size() - 1).stream().allMatch(EventTypes.TRAINING_PROGRESS::equals), types.toString());
        JsonNode epochs = MAPPER.readTree(events.get(2).data()).path("progress");
        assertTrue(epochs.has("epoch") && epochs.has("val_loss") && epochs.has("model"), epochs.toString());
        assertTrue(events.stream().allMatch(e -> EventTypes.TRAIN_TRIGGER_SOURCE.equals(e.source())));
    }

    @Test
    void aBadSetIsRefusedWithAReasonForEveryFile() throws Exception {
        String set = "tenants/acme/training/bad/";
        store.put(set + "garbage.mid", "not a midi file at all".getBytes(), "audio/midi");
        store.put(set + "tune-only.json", Files.readAllBytes(repo().resolve("examples/ode-to-joy.json")), "application/json");
        store.put(set + "song.mid", Files.readAllBytes(repo().resolve("music/src/test/resources/midi/pop909-098.mid")), "audio/midi");
        String body = given().contentType(ContentType.JSON).body("{\"tenant\": \"acme\", \"set\": \"bad\"}")
                .post("/v1/training")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo(Trainings.REJECTED_TYPE))
                .extract().asString();
        JsonNode problem = MAPPER.readTree(body);
        assertTrue(problem.path("detail").asText().contains("only 1 of 3 pieces"), problem.toString());
        JsonNode pieces = problem.path("pieces");
        assertEquals(3, pieces.size());
        for (JsonNode piece : pieces) {
            switch (piece.path("file").asText()) {
                case "garbage.mid" -> assertTrue(piece.path("reason").asText().startsWith("unreadable"), piece.toString());
                case "tune-only.json" -> assertTrue(piece.path("reason").asText().contains("no accompaniment"), piece.toString());
                case "song.mid" -> assertTrue(piece.path("accepted").asBoolean(), piece.toString());
                default -> throw new AssertionError(piece.toString());
            }
        }
        String model = problem.path("model").asText();
        JsonNode job = MAPPER.readTree(store.get("tenants/acme/models/" + model + "/training.json").orElseThrow());
        assertEquals("failed", job.path("state").asText());
        assertEquals(List.of(EventTypes.TRAINING_FAILED), EventSinkResource.about(model).stream().map(EventSinkResource.Received::type).toList());
    }

    @Test
    void cancellingStopsTheTrainingProcessAndATenantRunsAtMostTwoJobs() throws Exception {
        uploadGoodSet("busy", "songs");
        String request = "{\"tenant\": \"busy\", \"set\": \"songs\", \"style\": \"lied\"}";  // full settings: minutes of work
        String first = given().contentType(ContentType.JSON).body(request).post("/v1/training").then().statusCode(202).extract().path("model");
        String second = given().contentType(ContentType.JSON).body(request).post("/v1/training").then().statusCode(202).extract().path("model");
        given().contentType(ContentType.JSON).body(request).post("/v1/training")
                .then().statusCode(429).contentType("application/problem+json")
                .body("type", equalTo(Trainings.LIMIT_TYPE)).body("limit", equalTo(2));
        awaitJob("busy", first, j -> j.path("state").asText().equals("training"), Duration.ofMinutes(1));
        Instant deadline = Instant.now().plusSeconds(60);
        while (trainingProcesses().size() < 2 && Instant.now().isBefore(deadline)) Thread.sleep(200);
        assertEquals(2, trainingProcesses().size(), "both jobs run a training process");

        for (String model : List.of(first, second)) {
            given().queryParam("tenant", "busy").delete("/v1/training/" + model).then().statusCode(200).body("state", equalTo("cancelled"));
        }
        deadline = Instant.now().plusSeconds(15);
        while (!trainingProcesses().isEmpty() && Instant.now().isBefore(deadline)) Thread.sleep(200);
        assertTrue(trainingProcesses().isEmpty(), "the training processes were stopped");
        Thread.sleep(1000); // the job threads see the processes end
        for (String model : List.of(first, second)) {
            JsonNode job = awaitJob("busy", model, j -> true, Duration.ZERO);
            assertEquals("cancelled", job.path("state").asText());
            assertFalse(store.exists("tenants/busy/models/" + model + "/merlai-texture.onnx"));
            List<String> types = EventSinkResource.about(model).stream().map(EventSinkResource.Received::type).toList();
            assertEquals(EventTypes.TRAINING_FAILED, types.get(types.size() - 1));
            assertEquals(1, types.stream().filter(EventTypes.TRAINING_FAILED::equals).count(), types.toString());
        }
        given().queryParam("tenant", "busy").delete("/v1/training/" + first).then().statusCode(409);
        given().queryParam("tenant", "other").get("/v1/training/" + first).then().statusCode(404);
    }

    @Test
    void aTrainingRequestEventIsAnsweredWithProgressOrWithFailedReasons() throws Exception {
        TrainRequest request = new TrainRequest();
        request.tenant = "acme";
        request.set = "empty-set";
        CloudEvent<TrainRequest> event = CloudEventBuilder.create().id("ev-1").source("/test").type(EventTypes.TRAINING_REQUESTED).build(request);
        CloudEvent<com.fasterxml.jackson.databind.node.ObjectNode> answer = function.train(event);
        assertEquals(EventTypes.TRAINING_FAILED, answer.type());
        assertTrue(answer.data().path("error").asText().contains("empty"), answer.data().toString());

        uploadGoodSet("events", "lieder");
        String subject = given().contentType(ContentType.JSON)
                .header("ce-specversion", "1.0").header("ce-id", "train-1").header("ce-type", EventTypes.TRAINING_REQUESTED)
                .header("ce-source", "/tests")
                .body("{\"tenant\": \"events\", \"set\": \"lieder\", \"style\": \"lied\", \"quick\": true}")
                .post("/")
                .then().statusCode(200)
                .header("ce-type", EventTypes.TRAINING_PROGRESS)
                .header("ce-source", EventTypes.TRAIN_TRIGGER_SOURCE)
                .body("state", equalTo("queued"))
                .extract().header("ce-subject");
        // the same event again (a broker redelivery) finds the same job
        given().contentType(ContentType.JSON)
                .header("ce-specversion", "1.0").header("ce-id", "train-1").header("ce-type", EventTypes.TRAINING_REQUESTED)
                .header("ce-source", "/tests")
                .body("{\"tenant\": \"events\", \"set\": \"lieder\", \"style\": \"lied\", \"quick\": true}")
                .post("/").then().statusCode(200).header("ce-subject", subject);
        assertEquals("done", awaitJob("events", subject, j -> !j.path("state").asText().matches("queued|training"), Duration.ofMinutes(5))
                .path("state").asText());
    }

    @Test
    void piecesCanBePostedToASetAndAreCheckedAtOnce() throws Exception {
        for (String file : LIEDER.subList(0, 3)) {
            given().queryParam("tenant", "poster").contentType("application/octet-stream")
                    .body(Files.readAllBytes(repo().resolve("music/src/test/resources/musicxml/" + file)))
                    .put("/v1/training-sets/songs/" + file)
                    .then().statusCode(201).body("key", equalTo("tenants/poster/training/songs/" + file)).body("accepted", equalTo(true));
            assertTrue(store.exists("tenants/poster/training/songs/" + file));
        }
        given().queryParam("tenant", "poster").contentType("application/octet-stream").body("MThd but not MIDI".getBytes())
                .put("/v1/training-sets/songs/broken.mid")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("body"));
        assertFalse(store.exists("tenants/poster/training/songs/broken.mid"), "a piece that cannot be trained on is not kept");
        given().contentType(ContentType.JSON).body("{\"tenant\": \"poster\", \"set\": \"songs\", \"style\": \"lied\", \"quick\": true}")
                .post("/v1/training").then().statusCode(202).body("pieces.size()", equalTo(3));
    }
}
