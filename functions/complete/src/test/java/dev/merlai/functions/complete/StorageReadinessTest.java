package dev.merlai.functions.complete;

import dev.merlai.testing.RedisResource;
import dev.merlai.testing.S3ProxyResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.config.HttpClientConfig;
import io.restassured.config.RestAssuredConfig;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

/**
 * With the object store stopped or frozen (SIGSTOP: it takes connections and never answers), the replica says it is
 * not ready and a {@code /v1} call answers 503 with Retry-After instead of hanging. Its own real S3Proxy.
 */
@QuarkusTest
@QuarkusTestResource(value = S3ProxyResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = RedisResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class StorageReadinessTest {

    /** Generous: a hang shows as a failed test, a loaded machine does not. */
    private static final RestAssuredConfig PATIENT = RestAssured.config().httpClient(HttpClientConfig.httpClientConfig()
            .setParam("http.connection.timeout", 60_000).setParam("http.socket.timeout", 60_000));

    private static String storageStatus() {
        return given().config(PATIENT).get("/q/health/ready").then().extract().path("checks.find { it.name == 'storage' }.status");
    }

    /** Ready at all: the base models load beside the start-up, so the probe may answer 503 at first. */
    private static void awaitReady() throws InterruptedException {
        while (given().config(PATIENT).get("/q/health/ready").statusCode() != 200) Thread.sleep(100);
    }

    private static void awaitStorage(String status) throws InterruptedException {
        while (!status.equals(storageStatus())) Thread.sleep(500); // the probe's answer is kept a few seconds
    }

    private static void signal(String signal) throws Exception {
        new ProcessBuilder("kill", "-" + signal, Long.toString(S3ProxyResource.server().process().pid())).inheritIO().start().waitFor();
    }

    private static void answers503(String key) {
        given().config(PATIENT).header("Authorization", Accounts.bearer(key)).get("/v1/jobs").then().statusCode(503)
                .contentType("application/problem+json").header("Retry-After", notNullValue())
                .body("type", equalTo("https://merlai.dev/problems/storage-unavailable"));
    }

    @Test
    @Order(1)
    void aFrozenStoreMakesTheReplicaUnreadyAndCallsAnswer503() throws Exception {
        String key = Accounts.key("frozen", "pro");
        awaitReady();
        given().get("/q/health/ready").then().statusCode(200).body("checks.find { it.name == 'storage' }.status", equalTo("UP"));
        signal("STOP");
        try {
            awaitStorage("DOWN");
            given().config(PATIENT).get("/q/health/ready").then().statusCode(503);
            answers503(key);
        } finally {
            signal("CONT");
        }
        awaitStorage("UP");
        given().header("Authorization", Accounts.bearer(key)).get("/v1/jobs").then().statusCode(200);
    }

    @Test
    @Order(2)
    void aStoppedStoreMakesTheReplicaUnreadyAndCallsAnswer503() throws Exception {
        String key = Accounts.key("stopped", "pro");
        S3ProxyResource.server().close();
        awaitStorage("DOWN");
        answers503(key);
    }
}
