package dev.merlai.functions.train;

import dev.merlai.events.TrainRequest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merlai.events.EventTypes;
import dev.merlai.storage.ObjectStore;
import dev.merlai.platform.http.InvalidRequestException;
import dev.merlai.platform.http.ProblemResponses;
import dev.merlai.platform.tenancy.ApiKeyGuard;
import dev.merlai.tenancy.TenantRegistry;
import dev.merlai.tenancy.usage.Unit;
import dev.merlai.tenancy.usage.UsageLedger;
import dev.merlai.tenancy.usage.UsageRecord;
import dev.merlai.testing.ServedOpenApi;
import dev.merlai.testing.Promtool;
import dev.merlai.testing.OversizedRequests;
import dev.merlai.testing.RedisResource;
import dev.merlai.testing.S3ProxyResource;
import dev.merlai.testing.SignedEvents;
import io.quarkus.funqy.knative.events.CloudEvent;
import io.quarkus.funqy.knative.events.CloudEventBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * train-trigger against a real S3 server, real Redis, the real training code (quick settings) as a child process and a
 * real HTTP endpoint in the broker's place: a good set becomes a model billed once, a bad one is refused file by file,
 * a cancel stops the process, a tenant's running jobs and training minutes are limited, tenants reach only their own
 * jobs, and the events come in the documented order.
 */
@QuarkusTest
@QuarkusTestResource(S3ProxyResource.class)
@QuarkusTestResource(RedisResource.class)
@QuarkusTestResource(EventSinkResource.class)
class TrainTriggerTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final List<String> LIEDER = List.of("lc5729860.mxl", "lc5978033.mxl", "lc6488630.mxl", "lc8718660.mxl");

    @Inject
    TrainFunction function;

    @Inject
    Trainings trainings;

    @Inject
    TenantRegistry registry;

    @Inject
    UsageLedger usage;

    private final ObjectStore store = S3ProxyResource.store();
    private final Map<String, String> keys = new HashMap<>();

    /** A request with an API key of the tenant, created on the plan (as an operator would) the first time. */
    private RequestSpecification as(String tenant, String plan) {
        String key = keys.computeIfAbsent(tenant, t -> registry.issueKey(t, plan).apiKey());
        return given().header("Authorization", "Bearer " + key);
    }

    private RequestSpecification as(String tenant) {
        return as(tenant, "pro");
    }

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

    private JsonNode awaitJob(String tenant, String model, Predicate<JsonNode> until, Duration timeout) throws Exception {
        Instant deadline = Instant.now().plus(timeout);
        while (true) {
            JsonNode job = MAPPER.readTree(as(tenant).get("/v1/training/" + model)
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
        String model = as("acme").contentType(ContentType.JSON)
                .body("{\"set\": \"my-lieder\", \"style\": \"lied\", \"quick\": true}")
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
        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(Pattern.compile("(?m)^merlai_train_seconds_count [1-9]").matcher(metrics).find(), "the training time is in the histogram");
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
        assertTrue(epochs.has("steps") && epochs.has("fraction") && epochs.has("elapsedSeconds"), "how far, of how much, since when: " + epochs);
        assertTrue(events.stream().allMatch(e -> EventTypes.TRAIN_TRIGGER_SOURCE.equals(e.source())));

        // Billed once, under the model id: the job's training time rounded up to whole minutes.
        String record = "system/usage/acme/" + model + "/training-minutes.json";
        assertTrue(store.exists(record), record);
        long minutes = (long) Math.ceil(job.path("trainingSeconds").asDouble() / 60);
        YearMonth month = YearMonth.now(ZoneOffset.UTC);
        assertEquals(List.of(minutes), billed("acme", model, month));
        assertEquals(minutes, usage.monthTotal("acme", month, Unit.TRAINING_MINUTES));
        // The end of the job processed again (a restarted function, a retried step) bills nothing more.
        TrainingJob finished = trainings.find("acme", model).orElseThrow();
        trainings.bill(finished);
        trainings.bill(finished);
        assertEquals(minutes, usage.monthTotal("acme", month, Unit.TRAINING_MINUTES));
        assertEquals(List.of(minutes), billed("acme", model, month));
    }

    @Test
    void prometheusMetricsHoldTheTrainingTimeAsAHistogramThatPromtoolAccepts() throws Exception {
        String metrics = given().accept(Promtool.TEXT_FORMAT).get("/q/metrics").then().statusCode(200).extract().asString();
        Promtool.assertLintsCleanWithHistogram(metrics, "merlai_train_seconds");
    }

    /** The amounts on the ledger's records of a model this month. */
    private List<Long> billed(String tenant, String model, YearMonth month) {
        return usage.records(tenant, month.atDay(1), month.atEndOfMonth()).stream()
                .filter(r -> r.job().equals(model)).map(UsageRecord::amount).toList();
    }

    @Test
    void aBadSetIsRefusedWithAReasonForEveryFile() throws Exception {
        String set = "tenants/acme/training/bad/";
        store.put(set + "garbage.mid", "not a midi file at all".getBytes(), "audio/midi");
        store.put(set + "tune-only.json", Files.readAllBytes(repo().resolve("examples/ode-to-joy.json")), "application/json");
        store.put(set + "song.mid", Files.readAllBytes(repo().resolve("music/src/test/resources/midi/pop909-098.mid")), "audio/midi");
        String body = as("acme").contentType(ContentType.JSON).body("{\"set\": \"bad\"}")
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
        assertFalse(store.exists("system/usage/acme/" + model + "/training-minutes.json"), "a set rejected before training is not billed");
    }

    @Test
    void cancellingStopsTheTrainingProcessAndATenantRunsAtMostTwoJobs() throws Exception {
        uploadGoodSet("busy", "songs");
        String request = "{\"set\": \"songs\", \"style\": \"lied\"}";  // full settings: minutes of work
        String first = as("busy").contentType(ContentType.JSON).body(request).post("/v1/training").then().statusCode(202).extract().path("model");
        String second = as("busy").contentType(ContentType.JSON).body(request).post("/v1/training").then().statusCode(202).extract().path("model");
        as("busy").contentType(ContentType.JSON).body(request).post("/v1/training")
                .then().statusCode(429).contentType("application/problem+json")
                .body("type", equalTo(Trainings.LIMIT_TYPE)).body("limit", equalTo(2));
        awaitJob("busy", first, j -> j.path("state").asText().equals("training"), Duration.ofMinutes(1));
        Instant deadline = Instant.now().plusSeconds(60);
        while (trainingProcesses().size() < 2 && Instant.now().isBefore(deadline)) Thread.sleep(200);
        assertEquals(2, trainingProcesses().size(), "both jobs run a training process");

        for (String model : List.of(first, second)) {
            as("busy").delete("/v1/training/" + model).then().statusCode(200).body("state", equalTo("cancelled"));
        }
        deadline = Instant.now().plusSeconds(60); // patience for a loaded machine, not a claim about speed
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
            assertFalse(store.exists("system/usage/busy/" + model + "/training-minutes.json"), "cancelled within its first minute: not billed");
        }
        as("busy").delete("/v1/training/" + first).then().statusCode(409);
    }

    @Test
    void aTenantReachesOnlyItsOwnTrainingJobsAndModels() throws Exception {
        uploadGoodSet("owner", "songs");
        String model = as("owner").contentType(ContentType.JSON).body("{\"set\": \"songs\", \"style\": \"lied\", \"quick\": true}")
                .post("/v1/training").then().statusCode(202).extract().path("model");

        as("intruder").get("/v1/training/" + model).then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo(Trainings.NO_SUCH_MODEL_TYPE));
        as("intruder").delete("/v1/training/" + model).then().statusCode(404);
        as("intruder").get("/v1/models").then().statusCode(200).body("models.model", org.hamcrest.Matchers.not(hasItems(model)));
        // Naming the owner does not help: the key decides the tenant.
        as("intruder").queryParam("tenant", "owner").get("/v1/training/" + model).then().statusCode(400).body("field", equalTo("tenant"));
        as("intruder").queryParam("tenant", "owner").delete("/v1/training/" + model).then().statusCode(400).body("field", equalTo("tenant"));
        as("intruder").queryParam("tenant", "owner").get("/v1/models").then().statusCode(400);
        as("intruder").contentType(ContentType.JSON).body("{\"tenant\": \"owner\", \"set\": \"songs\", \"quick\": true}")
                .post("/v1/training").then().statusCode(400).body("field", equalTo("tenant"));
        as("intruder").queryParam("tenant", "owner").contentType("application/octet-stream").body(new byte[]{1})
                .put("/v1/training-sets/songs/x.mid").then().statusCode(400);

        JsonNode job = awaitJob("owner", model, j -> !j.path("state").asText().matches("queued|training"), Duration.ofMinutes(5));
        assertEquals("done", job.path("state").asText(), "the intruder's cancel did nothing: " + job);
        as("owner").get("/v1/models").then().statusCode(200).body("models.model", hasItems(model));
    }

    @Test
    void withoutAnApiKeyNothingIsReached() {
        given().contentType(ContentType.JSON).body("{\"tenant\": \"acme\", \"set\": \"my-lieder\"}").post("/v1/training")
                .then().statusCode(401).contentType("application/problem+json").body("type", equalTo(ApiKeyGuard.UNAUTHENTICATED_TYPE))
                .header("WWW-Authenticate", org.hamcrest.Matchers.startsWith("Bearer"));
        given().get("/v1/models").then().statusCode(401);
        given().get("/v1/training/m0123456789abcdef").then().statusCode(401);
        given().delete("/v1/training/m0123456789abcdef").then().statusCode(401);
        given().header("Authorization", "Bearer mrl_not-a-key").get("/v1/models").then().statusCode(401);
        given().body(new byte[]{1}).put("/v1/training-sets/songs/a.mid").then().statusCode(401);
    }

    @Test
    void aSpentTrainingQuotaIsRefusedWith402AndNoJobIsStarted() throws Exception {
        uploadGoodSet("spent", "songs");
        as("spent", "tiny").get("/v1/models").then().statusCode(200);  // creates the tenant on a plan of one training minute
        usage.record("spent", "earlier-model", Unit.TRAINING_MINUTES, 1);
        as("spent").contentType(ContentType.JSON).body("{\"set\": \"songs\", \"style\": \"lied\", \"quick\": true}")
                .post("/v1/training")
                .then().statusCode(402).contentType("application/problem+json")
                .body("type", equalTo(ProblemResponses.QUOTA_EXCEEDED_TYPE)).body("unit", equalTo("training-minutes"))
                .body("used", equalTo(1)).body("quota", equalTo(1));
        TrainRequest request = new TrainRequest();
        request.tenant = "spent";
        request.set = "songs";
        var answer = function.train(CloudEventBuilder.create().id("ev-spent").source("/test").type(EventTypes.TRAINING_REQUESTED)
                .subject("tenants/spent/training/songs/").build(request));
        assertEquals(EventTypes.TRAINING_FAILED, answer.type());
        assertEquals(402, answer.data().path("status").asInt(), answer.data().toString());

        as("spent").get("/v1/models").then().statusCode(200).body("models.size()", equalTo(0));
        assertTrue(store.list("tenants/spent/models/").isEmpty(), "nothing was stored for a job");
        assertTrue(trainingProcesses().isEmpty(), "no training process was started");
    }

    @Test
    void aTrainingRequestEventIsAnsweredWithProgressOrWithFailedReasons() throws Exception {
        registry.issueKey("acme", "pro");
        TrainRequest request = new TrainRequest();
        request.tenant = "acme";
        request.set = "empty-set";
        CloudEvent<TrainRequest> event = CloudEventBuilder.create().id("ev-1").source("/test").type(EventTypes.TRAINING_REQUESTED)
                .subject("tenants/acme/training/empty-set/").build(request);
        CloudEvent<com.fasterxml.jackson.databind.node.ObjectNode> answer = function.train(event);
        assertEquals(EventTypes.TRAINING_FAILED, answer.type());
        assertTrue(answer.data().path("error").asText().contains("empty"), answer.data().toString());

        // An event names its tenant, which must exist and be active.
        request.tenant = "nobody";
        InvalidRequestException unknown = assertThrows(InvalidRequestException.class,
                () -> function.train(CloudEventBuilder.create().id("ev-2").source("/test").type(EventTypes.TRAINING_REQUESTED)
                        .subject("tenants/nobody/training/empty-set/").build(request)));
        assertEquals("tenant", unknown.field());
        registry.issueKey("gone", "pro");
        registry.revoke("gone");
        request.tenant = "gone";
        assertThrows(InvalidRequestException.class,
                () -> function.train(CloudEventBuilder.create().id("ev-3").source("/test").type(EventTypes.TRAINING_REQUESTED)
                        .subject("tenants/gone/training/empty-set/").build(request)));
        given().filter(SignedEvents.SIGNED).contentType(ContentType.JSON)
                .header("ce-specversion", "1.0").header("ce-id", "train-0").header("ce-type", EventTypes.TRAINING_REQUESTED)
                .header("ce-source", "/tests")
                .body("{\"set\": \"lieder\", \"quick\": true}")
                .post("/").then().statusCode(400);

        uploadGoodSet("events", "lieder");
        registry.issueKey("events", "pro");
        String subject = given().filter(SignedEvents.SIGNED).contentType(ContentType.JSON)
                .header("ce-specversion", "1.0").header("ce-id", "train-1").header("ce-type", EventTypes.TRAINING_REQUESTED)
                .header("ce-source", "/tests").header("ce-subject", "tenants/events/training/lieder/")
                .body("{\"tenant\": \"events\", \"set\": \"lieder\", \"style\": \"lied\", \"quick\": true}")
                .post("/")
                .then().statusCode(200)
                .header("ce-type", EventTypes.TRAINING_PROGRESS)
                .header("ce-source", EventTypes.TRAIN_TRIGGER_SOURCE)
                .body("state", equalTo("queued"))
                .extract().header("ce-subject");
        // the same event again (a broker redelivery) finds the same job
        given().filter(SignedEvents.SIGNED).contentType(ContentType.JSON)
                .header("ce-specversion", "1.0").header("ce-id", "train-1").header("ce-type", EventTypes.TRAINING_REQUESTED)
                .header("ce-source", "/tests").header("ce-subject", "tenants/events/training/lieder/")
                .body("{\"tenant\": \"events\", \"set\": \"lieder\", \"style\": \"lied\", \"quick\": true}")
                .post("/").then().statusCode(200).header("ce-subject", subject);
        JsonNode ended = awaitJob("events", subject, j -> !j.path("state").asText().matches("queued|training"), Duration.ofMinutes(5));
        assertEquals("done", ended.path("state").asText(), ended.toString());
    }

    @Test
    void piecesCanBePostedToASetAndAreCheckedAtOnce() throws Exception {
        for (String file : LIEDER.subList(0, 3)) {
            as("poster").contentType("application/octet-stream")
                    .body(Files.readAllBytes(repo().resolve("music/src/test/resources/musicxml/" + file)))
                    .put("/v1/training-sets/songs/" + file)
                    .then().statusCode(201).body("key", equalTo("tenants/poster/training/songs/" + file)).body("accepted", equalTo(true));
            assertTrue(store.exists("tenants/poster/training/songs/" + file));
        }
        as("poster").contentType("application/octet-stream").body("MThd but not MIDI".getBytes())
                .put("/v1/training-sets/songs/broken.mid")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("body"));
        assertFalse(store.exists("tenants/poster/training/songs/broken.mid"), "a piece that cannot be trained on is not kept");
        // curl -d/--data-binary sends a form by default: refused with a problem that says how to send the file
        as("poster").contentType("application/x-www-form-urlencoded")
                .body(new String(Files.readAllBytes(repo().resolve("music/src/test/resources/musicxml/" + LIEDER.get(3))), java.nio.charset.StandardCharsets.ISO_8859_1))
                .put("/v1/training-sets/songs/" + LIEDER.get(3))
                .then().statusCode(415).contentType("application/problem+json").body("type", equalTo(TrainingRoutes.UNSUPPORTED_TYPE));
        assertFalse(store.exists("tenants/poster/training/songs/" + LIEDER.get(3)));
        as("poster").contentType(ContentType.JSON).body("{\"set\": \"songs\", \"style\": \"lied\", \"quick\": true}")
                .post("/v1/training").then().statusCode(202).body("pieces.size()", equalTo(3));
    }

    @Test
    void theAppServesItsOpenApiWithAnExampleForEveryRoute() throws Exception {
        JsonNode api = ServedOpenApi.fetch();
        List<String> routes = List.of("post /v1/training", "get /v1/training/{model}", "delete /v1/training/{model}", "get /v1/models",
                "put /v1/training-sets/{set}/{file}", "post /");
        ServedOpenApi.assertDocumented(api, routes);
        assertTrue(api.path("paths").path("/v1/training").path("post").path("responses").has("402"), "the spent quota is documented");
        assertEquals("bearer", api.path("components").path("securitySchemes").path("apiKey").path("scheme").asText());
    }

    @Test
    void requestHeadsOverTheLimitsAreProblems414And431() {
        OversizedRequests.assertEachIsAProblem("/v1/training/some-model");
    }
}
