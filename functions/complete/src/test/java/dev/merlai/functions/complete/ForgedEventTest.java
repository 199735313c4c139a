package dev.merlai.functions.complete;

import dev.merlai.events.EventTypes;
import dev.merlai.platform.tenancy.EventTenants;
import dev.merlai.storage.ObjectStore;
import dev.merlai.testing.ForgedEvents;
import dev.merlai.testing.RedisResource;
import dev.merlai.testing.S3ProxyResource;
import dev.merlai.testing.SignedEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * complete's event routes ({@code /} and {@code /complete}) take work only from the platform's own senders, and an upload
 * event only for the tenant whose inbox holds the object: a forged event reads, writes and bills nothing.
 */
@QuarkusTest
@QuarkusTestResource(S3ProxyResource.class)
@QuarkusTestResource(RedisResource.class)
class ForgedEventTest {

    private static final String SECRET_SONG = "tenants/victim/inbox/secret-song.mid";

    private final ObjectStore store = S3ProxyResource.store();

    @BeforeEach
    void aVictimWithASongInItsInbox() throws Exception {
        Accounts.key("victim", "free");
        Accounts.key("mallory", "pro");
        store.put(SECRET_SONG, Files.readAllBytes(Path.of(System.getProperty("merlai.repo.root", "../.."), "music/src/test/resources/midi/pop909-098.mid")), "audio/midi");
    }

    private static Map<String, String> upload(String id) {
        return Map.of("ce-specversion", "1.0", "ce-id", id, "ce-type", EventTypes.MELODY_UPLOADED, "ce-source", "/merlai/local/inbox",
                "ce-subject", SECRET_SONG);
    }

    @Test
    void forgedUploadEventsAreRefusedWithNoObjectWrittenAndNothingBilled() {
        String body = "{\"tenant\": \"victim\", \"key\": \"" + SECRET_SONG + "\", \"inline\": true}";
        Map<String, String> before = ForgedEvents.snapshot(store);
        for (String path : new String[]{"/", "/complete"}) {
            ForgedEvents.assertEachForgeryRefused(path, upload("forged-1"), body, "{\"tenant\": \"victim\"}");
        }
        assertEquals(before, ForgedEvents.snapshot(store), "no job record, result or usage record was written");

        // The same event signed by the platform is served, so the refusals above were the signature's doing.
        given().filter(SignedEvents.SIGNED).contentType("application/json").headers(upload("genuine-1")).body(body).post("/")
                .then().statusCode(200).body("tenant", equalTo("victim"));
    }

    @Test
    void aSignedUploadEventNamingAnotherTenantsObjectIs403AndChangesNothing() {
        Map<String, String> before = ForgedEvents.snapshot(store);
        given().filter(SignedEvents.SIGNED).contentType("application/json").headers(upload("cross-1"))
                .body("{\"tenant\": \"mallory\", \"key\": \"" + SECRET_SONG + "\", \"inline\": true}").post("/")
                .then().statusCode(403).contentType("application/problem+json").body("type", equalTo(EventTenants.NOT_ALLOWED_TYPE));
        assertEquals(before, ForgedEvents.snapshot(store), "mallory got no job, and nothing of victim's was read into one");
    }
}
