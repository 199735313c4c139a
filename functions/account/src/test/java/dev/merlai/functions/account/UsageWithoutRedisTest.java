package dev.merlai.functions.account;

import dev.merlai.platform.http.ProblemResponses;
import dev.merlai.tenancy.usage.Unit;
import dev.merlai.tenancy.usage.UsageLedger;
import dev.merlai.testing.RedisResource;
import dev.merlai.testing.S3ProxyResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** With Redis down, keys are checked against S3 and usage is still recorded there, but the counters are not read: 503. */
@QuarkusTest
@QuarkusTestResource(value = S3ProxyResource.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = RedisResource.class, restrictToAnnotatedClass = true)
class UsageWithoutRedisTest {

    @Inject
    UsageLedger usage;

    @Test
    void usageReadsAre503WhileRedisIsDownAndNothingRecordedIsLost() {
        String auth = AccountApiTest.tenant("offline", "pro");
        RedisResource.server().close();
        usage.record("offline", "j-offline-1", Unit.BARS, 8);
        assertTrue(S3ProxyResource.store().exists("system/usage/offline/j-offline-1/bars.json"), "the record of truth is written without Redis");
        given().header("Authorization", "Bearer mrl_unknown-while-redis-is-down").get("/v1/usage").then().statusCode(401);
        given().header("Authorization", auth).get("/v1/usage").then().statusCode(503).header("Retry-After", "5")
                .body("type", equalTo(ProblemResponses.USAGE_UNAVAILABLE_TYPE));
        given().header("Authorization", auth).get("/v1/invoice").then().statusCode(503);
    }
}
