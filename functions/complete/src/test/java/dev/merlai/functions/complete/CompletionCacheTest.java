package dev.merlai.functions.complete;

import dev.merlai.events.ArrangementCompleted;
import dev.merlai.events.CompletionRequest;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merlai.events.EventTypes;
import dev.merlai.storage.ObjectStore;
import dev.merlai.testing.RedisResource;
import dev.merlai.testing.S3ProxyResource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.funqy.knative.events.CloudEventBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.restassured.http.ContentType;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The completion cache with a real Redis: repeats are served from it, and Redis going away stops nothing. */
@QuarkusTest
@QuarkusTestResource(value = S3ProxyResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = RedisResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CompletionCacheTest {

    @Inject
    CompleteFunction function;

    @Inject
    CompletionCache cache;

    @Inject
    MeterRegistry metrics;

    private static CompletionRequest request(long seed) throws Exception {
        CompletionRequest request = new CompletionRequest();
        request.score = new ObjectMapper().readTree(Files.readAllBytes(Path.of(System.getProperty("merlai.repo.root", "../..")).resolve("examples/ode-to-joy.json")));
        request.seed = seed;
        request.tenant = "demo";
        return request;
    }

    private String demoKey;

    @BeforeEach
    void demoTenant() {
        demoKey = Accounts.key("demo", "pro");
    }

    private String complete(String eventId, long seed) throws Exception {
        return answer(eventId, seed).job();
    }

    private ArrangementCompleted answer(String eventId, long seed) throws Exception {
        return function.complete(CloudEventBuilder.create().id(eventId).source("/cache-test").type(EventTypes.MELODY_UPLOADED).build(request(seed))).data();
    }

    private double hits() {
        var counter = metrics.find("merlai.cache.lookups").tag("result", "hit").counter();
        return counter == null ? 0 : counter.count();
    }

    @Test
    @Order(1)
    void aRepeatedCompletionIsServedFromTheCacheWithTheSameArrangement() throws Exception {
        double before = hits();
        ArrangementCompleted fresh = answer("cache-a", 11);
        ArrangementCompleted cached = answer("cache-b", 11);
        assertEquals(before + 1, hits());
        assertFalse(cache.degraded());
        ObjectStore store = S3ProxyResource.store();
        assertArrayEquals(store.get("tenants/demo/results/" + fresh.job() + "/arrangement.json").orElseThrow(),
                store.get("tenants/demo/results/" + cached.job() + "/arrangement.json").orElseThrow());
        // the cached answer reports what the fresh one did
        assertNotNull(fresh.meter());
        assertEquals(List.of(fresh.meter(), fresh.key(), fresh.generatedBars(), fresh.millis()), List.of(cached.meter(), cached.key(), cached.generatedBars(), cached.millis()));
    }

    @Test
    @Order(2)
    void withRedisStoppedCompletionsGoOnAndHealthSaysDegraded() throws Exception {
        RedisResource.server().close();
        String job = complete("cache-c", 12);
        assertTrue(job.startsWith("j"));
        assertTrue(cache.degraded());
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks.find { it.name == 'cache' }.data.degraded", equalTo(true))
                .body("checks.name", hasItem("models"));
    }

    @Test
    @Order(3)
    void withRedisStoppedKeysAreCheckedAgainstS3AndUsageIsStillRecorded() throws Exception {
        if (RedisResource.server().isAlive()) RedisResource.server().close();
        String job = given().header("Authorization", "Bearer " + demoKey).contentType(ContentType.JSON)
                .body(new ObjectMapper().createObjectNode().set("score", request(13).score).toString())
                .post("/v1/completions").then().statusCode(200).extract().path("job");
        assertTrue(S3ProxyResource.store().exists("system/usage/demo/" + job + "/bars.json"), "the record of truth is written without Redis");
        given().header("Authorization", "Bearer mrl_unknown-while-redis-is-down").get("/v1/jobs").then().statusCode(401);
    }
}
