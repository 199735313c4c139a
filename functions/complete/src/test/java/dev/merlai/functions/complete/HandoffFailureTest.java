package dev.merlai.functions.complete;

import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A job asked for over HTTP is handed on to the broker for plugins and rendering. The request does not wait out a busy
 * broker: it is refused at once with 503 and Retry-After, the job records why, and a retry with the same
 * Idempotency-Key once the broker takes events again finds the arrangement, hands it on and puts the job back to
 * rendering, billed once. A broker that refuses the event for good (4xx) leaves the job {@code failed} with the reason.
 */
@QuarkusTest
@TestProfile(HandoffFailureTest.Broker.class)
class HandoffFailureTest {

    /** A real HTTP endpoint where the broker stands, answering with {@link #ANSWER}; 503 comes with Retry-After: 7, as a saturated router's does. */
    public static class Broker implements QuarkusTestProfile {
        static final AtomicInteger ANSWER = new AtomicInteger(503);
        static final AtomicInteger RECEIVED = new AtomicInteger();
        private static HttpServer server;

        @Override
        public Map<String, String> getConfigOverrides() {
            if (server == null) {
                try {
                    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                server.createContext("/", exchange -> {
                    exchange.getRequestBody().readAllBytes();
                    int status = ANSWER.get();
                    if (status == 202) RECEIVED.incrementAndGet();
                    if (status == 503) exchange.getResponseHeaders().add("Retry-After", "7");
                    exchange.sendResponseHeaders(status, -1);
                    exchange.close();
                });
                server.start();
            }
            return Map.of("merlai.events.sink", "http://127.0.0.1:" + server.getAddress().getPort() + "/");
        }
    }

    private final String score = read("examples/ode-to-joy.json");

    @AfterEach
    void brokerTakesEventsAgain() {
        Broker.ANSWER.set(503);
    }

    @Test
    void aBusyBrokerIsTheCallersRetryNotAHeldRequestAndTheRetryFinishesTheSameJob() {
        String auth = Accounts.bearer(Accounts.key("handoff", "pro"));
        Broker.ANSWER.set(503);

        String job = given().header("Authorization", auth).header("Idempotency-Key", "handoff-1").contentType(ContentType.JSON)
                .body("{\"score\": " + score + "}").post("/v1/completions")
                .then().statusCode(503).header("Retry-After", "7").contentType("application/problem+json")
                .body("type", equalTo(CompletionRoutes.HANDOFF_BUSY_TYPE)).body("detail", containsString("same Idempotency-Key"))
                .extract().path("job");
        given().header("Authorization", auth).get("/v1/jobs/" + job).then().statusCode(200)
                .body("state", equalTo("failed"))
                .body("error", allOf(containsString("could not be handed on"), containsString("answered 503")));

        int billed = given().header("Authorization", auth).get("/v1/usage").then().statusCode(200).extract().path("totals.bars");

        Broker.ANSWER.set(202);
        int before = Broker.RECEIVED.get();
        given().header("Authorization", auth).header("Idempotency-Key", "handoff-1").contentType(ContentType.JSON)
                .body("{\"score\": " + score + "}").post("/v1/completions")
                .then().statusCode(200).body("job", equalTo(job));
        assertEquals(before + 1, Broker.RECEIVED.get(), "the retry handed the job on");
        given().header("Authorization", auth).get("/v1/jobs/" + job).then().statusCode(200)
                .body("state", equalTo("rendering")).body("error", equalTo(""));
        given().header("Authorization", auth).get("/v1/usage").then().statusCode(200)
                .body("totals.bars", equalTo(billed));
    }

    @Test
    void anEventTheBrokerRefusesForGoodEndsTheJobFailedWithTheReason() {
        String auth = Accounts.bearer(Accounts.key("handoff-refused", "pro"));
        Broker.ANSWER.set(400);

        String job = given().header("Authorization", auth).contentType(ContentType.JSON).body("{\"score\": " + score + "}")
                .post("/v1/completions").then().statusCode(200).extract().path("job");

        given().header("Authorization", auth).get("/v1/jobs/" + job).then().statusCode(200)
                .body("state", equalTo("failed"))
                .body("error", allOf(containsString("could not be handed on"), containsString("answered 400")));
    }

    private static String read(String file) {
        try {
            return Files.readString(Path.of(System.getProperty("merlai.repo.root", "../..")).resolve(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
