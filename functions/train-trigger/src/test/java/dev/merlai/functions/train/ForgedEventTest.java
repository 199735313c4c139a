package dev.merlai.functions.train;

import dev.merlai.events.EventTypes;
import dev.merlai.platform.tenancy.EventTenants;
import dev.merlai.storage.ObjectStore;
import dev.merlai.tenancy.TenantRegistry;
import dev.merlai.testing.ForgedEvents;
import dev.merlai.testing.RedisResource;
import dev.merlai.testing.S3ProxyResource;
import dev.merlai.testing.SignedEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * train-trigger's event routes ({@code /} and {@code /train-trigger}) take training requests only from the platform's
 * own senders: a forged request in a tenant's name starts no training, writes no job and bills no minutes. A sender
 * that is the platform's may still speak only for the tenant whose training set the event names (its subject).
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

    @Test
    void aSignedTrainingRequestMayOnlyBillTheTenantWhoseSetItNames() throws Exception {
        registry.issueKey("payer", "pro");
        registry.issueKey("mallory", "free");
        Path piece = Path.of(System.getProperty("merlai.repo.root", "../.."), "music/src/test/resources/musicxml/lc5729860.mxl");
        store.put("tenants/mallory/training/set/lc5729860.mxl", Files.readAllBytes(piece), "application/vnd.recordare.musicxml");
        Map<String, String> before = ForgedEvents.snapshot(store);
        // another tenant's set, another set of the payer's, and no subject at all
        for (String subject : new String[]{"tenants/mallory/training/set/", "tenants/payer/training/other/", ""}) {
            var request = given().filter(SignedEvents.SIGNED).contentType(ContentType.JSON)
                    .header("ce-specversion", "1.0").header("ce-id", "billed-elsewhere").header("ce-type", EventTypes.TRAINING_REQUESTED)
                    .header("ce-source", "/mallory");
            if (!subject.isEmpty()) request.header("ce-subject", subject);
            request.body("{\"tenant\": \"payer\", \"set\": \"set\", \"quick\": true}").post("/")
                    .then().statusCode(403).contentType("application/problem+json").body("type", equalTo(EventTenants.NOT_ALLOWED_TYPE));
        }
        assertEquals(before, ForgedEvents.snapshot(store), "no training job, model or usage record written for the payer");
    }
}
