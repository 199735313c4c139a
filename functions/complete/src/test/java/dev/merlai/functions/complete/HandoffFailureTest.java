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

    /**
     * A real HTTP endpoint where the broker stands: events at {@code /} get the status last {@code POST}ed to
     * {@code /answer} (503 at first, with Retry-After: 7 as a saturated router's), {@code /received} counts the events
     * it took. Tests steer it over HTTP: the profile and the test do not share a class loader.
     */
    public static class Broker implements QuarkusTestProfile {
        private static HttpServer server;

        @Override
        public Map<String, String> getConfigOverrides() {
            if (server == null) {
                try {
                    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
                AtomicInteger answer = new AtomicInteger(503);
                AtomicInteger received = new AtomicInteger();
                server.createContext("/", exchange -> {
                    exchange.getRequestBody().readAllBytes();
                    int status = answer.get();
                    if (status == 202) received.incrementAndGet();
                    if (status == 503) exchange.getResponseHeaders().add("Retry-After", "7");
                    exchange.sendResponseHeaders(status, -1);
                    exchange.close();
                });
                server.createContext("/answer", exchange -> {
                    answer.set(Integer.parseInt(new String(exchange.getRequestBody().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8)));
                    exchange.sendResponseHeaders(204, -1);
                    exchange.close();
                });
                server.createContext("/received", exchange -> {
                    byte[] count = Integer.toString(received.get()).getBytes(java.nio.charset.StandardCharsets.UTF_8);
                    exchange.sendResponseHeaders(200, count.length);
                    exchange.getResponseBody().write(count);
                    exchange.close();
                });
                server.start();
            }
            return Map.of("merlai.events.sink", "http://127.0.0.1:" + server.getAddress().getPort() + "/");
        }
    }

    private final String score = read("examples/ode-to-joy.json");

    private final String broker = org.eclipse.microprofile.config.ConfigProvider.getConfig().getValue("merlai.events.sink", String.class);

    @AfterEach
    void brokerBusyAgain() {
        brokerAnswers(503);
    }

    private void brokerAnswers(int status) {
        given().baseUri(broker).body(Integer.toString(status)).post("answer").then().statusCode(204);
    }

    private int brokerReceived() {
        return Integer.parseInt(given().baseUri(broker).get("received").then().statusCode(200).extract().asString());
    }

    @Test
    void aBusyBrokerIsTheCallersRetryNotAHeldRequestAndTheRetryFinishesTheSameJob() {
        String auth = Accounts.bearer(Accounts.key("handoff", "pro"));
        brokerAnswers(503);

        String job = given().header("Authorization", auth).header("Idempotency-Key", "handoff-1").contentType(ContentType.JSON)
                .body("{\"score\": " + score + "}").post("/v1/completions")
                .then().statusCode(503).header("Retry-After", "7").contentType("application/problem+json")
                .body("type", equalTo(CompletionRoutes.HANDOFF_BUSY_TYPE)).body("detail", containsString("same Idempotency-Key"))
                .extract().path("job");
        given().header("Authorization", auth).get("/v1/jobs/" + job).then().statusCode(200)
                .body("state", equalTo("failed"))
                .body("error", allOf(containsString("could not be handed on"), containsString("answered 503")));

        long billed = Accounts.billedBars("handoff");

        brokerAnswers(202);
        int before = brokerReceived();
        given().header("Authorization", auth).header("Idempotency-Key", "handoff-1").contentType(ContentType.JSON)
                .body("{\"score\": " + score + "}").post("/v1/completions")
                .then().statusCode(200).body("job", equalTo(job));
        assertEquals(before + 1, brokerReceived(), "the retry handed the job on");
        given().header("Authorization", auth).get("/v1/jobs/" + job).then().statusCode(200)
                .body("state", equalTo("rendering")).body("error", equalTo(""));
        assertEquals(billed, Accounts.billedBars("handoff"));
    }

    @Test
    void anEventTheBrokerRefusesForGoodEndsTheJobFailedWithTheReason() {
        String auth = Accounts.bearer(Accounts.key("handoff-refused", "pro"));
        brokerAnswers(400);

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
