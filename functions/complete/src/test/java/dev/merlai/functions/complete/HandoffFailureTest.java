package dev.merlai.functions.complete;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.allOf;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

/**
 * A job asked for over HTTP is handed on to the broker for plugins and rendering; when the broker cannot be reached
 * (a real closed port) after the sink's retries, the job ends {@code failed} with the reason instead of staying
 * {@code rendering} for ever.
 */
@QuarkusTest
@TestProfile(HandoffFailureTest.SinkDown.class)
class HandoffFailureTest {

    /** The event sink on a loopback port nothing listens on; three quick attempts. */
    public static class SinkDown implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            int closed;
            try (ServerSocket socket = new ServerSocket(0)) {
                closed = socket.getLocalPort();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Map.of("merlai.events.sink", "http://127.0.0.1:" + closed + "/", "merlai.events.attempts", "3",
                    "merlai.events.first-backoff-ms", "10");
        }
    }

    @Test
    void aJobThatCannotBeHandedOnEndsFailedWithTheReason() throws Exception {
        String auth = Accounts.bearer(Accounts.key("handoff", "pro"));
        String score = Files.readString(Path.of(System.getProperty("merlai.repo.root", "../..")).resolve("examples/ode-to-joy.json"));

        String job = given().header("Authorization", auth).contentType(ContentType.JSON).body("{\"score\": " + score + "}")
                .post("/v1/completions").then().statusCode(200).extract().path("job");

        given().header("Authorization", auth).get("/v1/jobs/" + job).then().statusCode(200)
                .body("state", equalTo("failed"))
                .body("error", allOf(containsString("could not be handed on"), containsString("after 3 attempt(s)"), containsString("cannot be reached")));
    }
}
