package dev.merlai.functions.train;

import dev.merlai.events.EventTypes;
import dev.merlai.storage.ObjectStore;
import dev.merlai.tenancy.TenantRegistry;
import dev.merlai.testing.ForgedEvents;
import dev.merlai.testing.RedisResource;
import dev.merlai.testing.S3ProxyResource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * train-trigger's event routes ({@code /} and {@code /train-trigger}) take training requests only from the platform's
 * own senders: a forged request in a tenant's name starts no training, writes no job and bills no minutes.
 */
@QuarkusTest
@QuarkusTestResource(S3ProxyResource.class)
@QuarkusTestResource(RedisResource.class)
@QuarkusTestResource(EventSinkResource.class)
class ForgedEventTest {

    @Inject
    TenantRegistry registry;

    private final ObjectStore store = S3ProxyResource.store();

    @Test
    void forgedTrainingRequestsAreRefusedWithNothingStarted() throws Exception {
        registry.issueKey("trainee", "free");
        Path piece = Path.of(System.getProperty("merlai.repo.root", "../.."), "music/src/test/resources/musicxml/lc5729860.mxl");
        store.put("tenants/trainee/training/set/lc5729860.mxl", Files.readAllBytes(piece), "application/vnd.recordare.musicxml");
        Map<String, String> event = Map.of("ce-specversion", "1.0", "ce-id", "forged-train-1", "ce-type", EventTypes.TRAINING_REQUESTED,
                "ce-source", "/mallory");
        String body = "{\"tenant\": \"trainee\", \"set\": \"set\", \"quick\": true}";
        Map<String, String> before = ForgedEvents.snapshot(store);
        for (String path : new String[]{"/", "/train-trigger"}) {
            ForgedEvents.assertEachForgeryRefused(path, event, body, "{\"tenant\": \"trainee\", \"set\": \"other\"}");
        }
        assertEquals(before, ForgedEvents.snapshot(store), "no training job, model or usage record written");
        assertEquals(0, EventSinkResource.fromSource(EventTypes.TRAIN_TRIGGER_SOURCE).stream()
                .filter(e -> e.data().contains("\"trainee\"")).count(), "no training event sent for the tenant");
    }
}
