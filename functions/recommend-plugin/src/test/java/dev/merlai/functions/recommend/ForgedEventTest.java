package dev.merlai.functions.recommend;

import dev.merlai.events.EventTypes;
import dev.merlai.platform.tenancy.EventTenants;
import dev.merlai.storage.JobRecord;
import dev.merlai.storage.ObjectStore;
import dev.merlai.testing.ForgedEvents;
import dev.merlai.testing.RedisResource;
import dev.merlai.testing.S3ProxyResource;
import dev.merlai.testing.SignedEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * recommend-plugin's event routes ({@code /} and {@code /recommend-plugin}) take work only from the platform's own
 * senders, and only for a job {@code complete} has arranged: a forged event writes no plugins.json and reads nothing.
 */
@QuarkusTest
@QuarkusTestResource(S3ProxyResource.class)
@QuarkusTestResource(RedisResource.class)
class ForgedEventTest {

    private final ObjectStore store = S3ProxyResource.store();

    private static Map<String, String> arranged(String id, String job) {
        return Map.of("ce-specversion", "1.0", "ce-id", id, "ce-type", EventTypes.ARRANGEMENT_COMPLETED,
                "ce-source", EventTypes.COMPLETE_SOURCE, "ce-subject", job);
    }

    @Test
    void forgedHandOversAreRefusedWithNothingWritten() {
        Arrangements.arranged("victim", "v1");
        String body = "{\"tenant\": \"victim\", \"job\": \"v1\"}";
        Map<String, String> before = ForgedEvents.snapshot(store);
        for (String path : new String[]{"/", "/recommend-plugin"}) {
            ForgedEvents.assertEachForgeryRefused(path, arranged("v1-forged", "v1"), body, "{\"tenant\": \"victim\", \"job\": \"v0\"}");
        }
        assertEquals(before, ForgedEvents.snapshot(store), "no plugins.json, no job record written");

        given().filter(SignedEvents.SIGNED).contentType("application/json").headers(arranged("v1-arranged", "v1")).body(body).post("/")
                .then().statusCode(200).body("file", endsWith("v1/plugins.json"));
    }

    @Test
    void aSignedHandOverOfAJobNotArrangedYetIs403AndChangesNothing() {
        Arrangements.jobs().save(JobRecord.queued("v2", "victim", "inline", 1, Instant.now()));
        Map<String, String> before = ForgedEvents.snapshot(store);
        given().filter(SignedEvents.SIGNED).contentType("application/json").headers(arranged("v2-arranged", "v2"))
                .body("{\"tenant\": \"victim\", \"job\": \"v2\"}").post("/")
                .then().statusCode(403).contentType("application/problem+json").body("type", equalTo(EventTenants.NOT_ALLOWED_TYPE));
        assertEquals(before, ForgedEvents.snapshot(store));
    }
}
