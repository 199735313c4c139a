package dev.merlai.functions.live;

import com.fasterxml.jackson.databind.JsonNode;
import dev.merlai.functions.live.LiveRouteTest.Client;
import dev.merlai.models.ModelRegistry;
import dev.merlai.tenancy.TenantRegistry;
import dev.merlai.testing.RedisResource;
import dev.merlai.testing.S3ProxyResource;
import dev.merlai.testing.TrainedModels;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A live session plays with the tenant's personal model when start names it ({@code model}, as complete's request
 * does): a model really fine-tuned by the training code ({@link TrainedModels}) and stored where a training leaves it.
 * Without one, and for every other tenant, the session plays the base models. The model registry is complete's.
 */
@QuarkusTest
@QuarkusTestResource(S3ProxyResource.class)
@QuarkusTestResource(RedisResource.class)
class LivePersonalModelTest {

    @TestHTTPResource("/v1/live")
    URI live;

    @Inject
    TenantRegistry tenants;

    @Inject
    ModelRegistry models;

    /** Plays the tune in a session with {@code options}, stops it and returns its started message and every message after. */
    private List<JsonNode> session(String tenant, String options) throws Exception {
        Client client = Client.open(live, tenants.issueKey(tenant, "pro").apiKey());
        List<JsonNode> messages = new ArrayList<>();
        messages.add(LiveRouteTest.startAndPlay(client, options));
        client.send("{\"type\":\"stop\"}");
        client.next("stopped", messages);
        return messages;
    }

    private static int chordsPlayed(List<JsonNode> messages) {
        int chords = 0;
        for (JsonNode message : messages) {
            for (JsonNode event : message.path("events")) if (event.get("type").asText().equals("chord")) chords++;
        }
        return chords;
    }

    /** The base models' versions as a live session plays them: with the live chord model. */
    private String baseLiveVersion() throws Exception {
        try (ModelRegistry.Lease base = models.acquire(null, null)) {
            String version = base.arranger().forLive().modelVersion();
            assertTrue(version.startsWith("merlai-chords-live@"), version);
            return version;
        }
    }

    @Test
    void aTenantsPersonalModelPlaysItsSessionAndTheBaseModelsPlayTheOthers() throws Exception {
        TrainedModels.store(S3ProxyResource.store(), "live-composer", "m-lieder");

        List<JsonNode> personal = session("live-composer", ",\"model\":\"m-lieder\"");
        String version = personal.get(0).get("modelVersion").asText();
        assertTrue(version.startsWith("live-composer/m-lieder:") && version.contains("+m-lieder"), "the personal model plays: " + version);
        assertTrue(models.cached().contains("live-composer/m-lieder"), "loaded by the registry complete uses");
        assertTrue(chordsPlayed(personal) > 0, "its chords are played");
        assertEquals(Map.of(), LiveRouteTest.sounding(personal), "every note-on has its note-off");

        for (List<JsonNode> base : List.of(session("live-composer", ""), session("live-listener", ""))) {
            assertEquals(baseLiveVersion(), base.get(0).get("modelVersion").asText(), "without a model named, the base models play");
            assertTrue(chordsPlayed(base) > 0);
        }
    }

    @Test
    void aModelTheTenantDoesNotHaveIsAnErrorOnModelAndTheSessionGoesOn() throws Exception {
        TrainedModels.store(S3ProxyResource.store(), "live-owner", "m-private");
        Client intruder = Client.open(live, tenants.issueKey("live-intruder", "pro").apiKey());
        intruder.send("{\"type\":\"start\",\"tempo\":120,\"now\":" + System.currentTimeMillis() + ",\"model\":\"m-private\"}");
        JsonNode error = intruder.next("error", new ArrayList<>());
        assertEquals("model", error.get("field").asText());
        assertTrue(error.get("detail").asText().contains("tenant live-intruder has no model m-private"), error.toString());
        assertFalse(models.cached().contains("live-intruder/m-private"));

        intruder.send("{\"type\":\"start\",\"tempo\":120,\"now\":" + System.currentTimeMillis() + "}");
        assertEquals(baseLiveVersion(), intruder.next("started", new ArrayList<>()).get("modelVersion").asText(), "a start without it plays the base models");
        intruder.send("{\"type\":\"stop\"}");
        intruder.next("stopped", new ArrayList<>());
    }
}
