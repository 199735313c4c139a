package dev.merlai.functions.render;

import dev.merlai.events.EventTypes;
import dev.merlai.music.json.ScoreJson;
import dev.merlai.platform.tenancy.EventTenants;
import dev.merlai.storage.JobRecord;
import dev.merlai.storage.JobState;
import dev.merlai.storage.JobStore;
import dev.merlai.storage.ObjectStore;
import dev.merlai.storage.StorageLayout;
import dev.merlai.testing.ForgedEvents;
import dev.merlai.testing.RedisResource;
import dev.merlai.testing.S3ProxyResource;
import dev.merlai.testing.SignedEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.endsWith;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * render-midi's event routes ({@code /} and {@code /render-midi}) take work only from the platform's own senders, and
 * only for a job {@code complete} has arranged: a forged event renders nothing and bills no audio seconds.
 */
@QuarkusTest
@QuarkusTestResource(S3ProxyResource.class)
@QuarkusTestResource(RedisResource.class)
class ForgedEventTest {

    private final ObjectStore store = S3ProxyResource.store();
    private final JobStore jobs = new JobStore(store);

    private void job(String tenant, String job, JobState state) {
        jobs.save(JobRecord.queued(job, tenant, "inline", 1, Instant.now()).completed("test-model", List.of(StorageLayout.ARRANGEMENT_JSON), state, Instant.now()));
        jobs.putResult(tenant, job, StorageLayout.ARRANGEMENT_JSON, ScoreJson.write(RenderFunctionTest.arrangement()), "application/json");
    }

    private static Map<String, String> recommended(String id, String job) {
        return Map.of("ce-specversion", "1.0", "ce-id", id, "ce-type", EventTypes.PLUGINS_RECOMMENDED,
                "ce-source", EventTypes.RECOMMEND_SOURCE, "ce-subject", job);
    }

    @Test
    void forgedRenderEventsAreRefusedWithNothingRenderedOrBilled() {
        job("victim", "w1", JobState.RENDERING);
        String body = "{\"tenant\": \"victim\", \"job\": \"w1\"}";
        Map<String, String> before = ForgedEvents.snapshot(store);
        for (String path : new String[]{"/", "/render-midi"}) {
            ForgedEvents.assertEachForgeryRefused(path, recommended("w1-forged", "w1"), body, "{\"tenant\": \"victim\", \"job\": \"w0\"}");
        }
        assertEquals(before, ForgedEvents.snapshot(store), "no MIDI, audio or usage record written");

        given().filter(SignedEvents.SIGNED).contentType("application/json").headers(recommended("w1-plugins", "w1")).body(body).post("/")
                .then().statusCode(200).body("files", hasItem(endsWith("preview.wav")));
    }

    @Test
    void aSignedRenderEventForAFailedJobIs403AndChangesNothing() {
        job("victim", "w2", JobState.FAILED);
        Map<String, String> before = ForgedEvents.snapshot(store);
        given().filter(SignedEvents.SIGNED).contentType("application/json").headers(recommended("w2-plugins", "w2"))
                .body("{\"tenant\": \"victim\", \"job\": \"w2\"}").post("/")
                .then().statusCode(403).contentType("application/problem+json").body("type", equalTo(EventTenants.NOT_ALLOWED_TYPE));
        assertEquals(before, ForgedEvents.snapshot(store), "nothing rendered or billed");
    }
}
