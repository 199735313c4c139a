package dev.merlai.functions.complete;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merlai.tenancy.RedisCommands;
import dev.merlai.testing.RedisResource;
import dev.merlai.testing.S3ProxyResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import jakarta.inject.Inject;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * Redis is a cache, not an authority: an API key planted there authenticates nobody, and a free tenant that spent its
 * month is refused (402) with Redis down and after Redis came back holding nothing. Its own real Redis, stopped and
 * started again empty.
 */
@QuarkusTest
@QuarkusTestResource(value = S3ProxyResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = RedisResource.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RedisUntrustedTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Inject
    Redis redis;

    private static ValidatableResponse complete(String auth) throws Exception {
        var score = MAPPER.readTree(Files.readAllBytes(Path.of(System.getProperty("merlai.repo.root", "../..")).resolve("examples/ode-to-joy.json")));
        return given().header("Authorization", auth).contentType(ContentType.JSON).body(MAPPER.createObjectNode().set("score", score).toString())
                .post("/v1/completions").then();
    }

    private static ValidatableResponse readiness() {
        return given().get("/q/health/ready").then();
    }

    @Test
    @Order(1)
    void aKeyPlantedInRedisIs401() throws Exception {
        String victimKey = Accounts.key("victim", "pro");
        given().header("Authorization", Accounts.bearer(victimKey)).get("/v1/jobs").then().statusCode(200); // cached, signed
        String victim = new String(S3ProxyResource.store().get("system/tenants/victim.json").orElseThrow(), StandardCharsets.UTF_8);
        String forgedKey = "mrl_a-key-its-planter-chose-for-the-victim";
        String hash = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(forgedKey.getBytes(StandardCharsets.UTF_8)));
        String cached = RedisCommands.send(redis, Request.cmd(Command.GET).arg("merlai:key:" + HexFormat.of().formatHex(
                MessageDigest.getInstance("SHA-256").digest(victimKey.getBytes(StandardCharsets.UTF_8))))).toString();
        String copiedSignature = cached.substring(0, cached.indexOf('.'));
        for (String planted : new String[]{victim, "forged." + victim, copiedSignature + "." + victim}) {
            RedisCommands.send(redis, Request.cmd(Command.SET).arg("merlai:key:" + hash).arg(planted));
            given().header("Authorization", Accounts.bearer(forgedKey)).get("/v1/jobs").then().statusCode(401).contentType("application/problem+json");
        }
        given().header("Authorization", Accounts.bearer(victimKey)).get("/v1/jobs").then().statusCode(200);
    }

    @Test
    @Order(2)
    void aSpentQuotaIsRefusedWithRedisDownAndAfterRedisLostItsData() throws Exception {
        String thrifty = Accounts.bearer(Accounts.key("thrifty", "tiny")); // a quota of 1 bar a month
        String hasty = Accounts.bearer(Accounts.key("hasty", "slow")); // 0.2 requests a second, bursts of 2
        long billed = ((Number) complete(thrifty).statusCode(200).extract().path("bars")).longValue(); // the job that crosses the quota
        complete(thrifty).statusCode(402);

        RedisResource.server().close();
        complete(thrifty).statusCode(402).body("used", equalTo((int) billed));
        readiness().statusCode(200).body("checks.find { it.name == 'redis' }.data.degraded", equalTo(true));
        given().header("Authorization", hasty).get("/v1/jobs").then().statusCode(200);
        given().header("Authorization", hasty).get("/v1/jobs").then().statusCode(200);
        given().header("Authorization", hasty).get("/v1/jobs").then().statusCode(429); // limited per replica, not unlimited

        RedisResource.restartEmpty();
        complete(thrifty).statusCode(402);
        while (readiness().extract().path("checks.find { it.name == 'redis' }.data.degraded").equals(Boolean.TRUE)) {
            Thread.sleep(500); // until this replica talks to Redis again
        }
        complete(thrifty).statusCode(402).body("used", equalTo((int) billed)); // the month rebuilt in Redis from the records
        assertEquals(billed, Accounts.billedBars("thrifty"));
    }
}
