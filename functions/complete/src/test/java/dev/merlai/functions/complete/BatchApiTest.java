package dev.merlai.functions.complete;

import dev.merlai.storage.ObjectStore;
import dev.merlai.storage.StorageLayout;
import dev.merlai.testing.RedisResource;
import dev.merlai.testing.S3ProxyResource;
import io.quarkus.redis.datasource.RedisDataSource;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code POST /v1/batches} over HTTP against a real S3 server and Redis: one job per song, billed exactly as single
 * completions of the same songs, each song's MIDI byte for byte its single completion's (the songs completed side by
 * side, their drum and dynamics model calls shared), a song that fails failing alone with its reason, a zip of melodies,
 * a foreign key named in a 400, and {@code GET /v1/batches/{id}} reporting each job's state.
 */
@QuarkusTest
@QuarkusTestResource(S3ProxyResource.class)
@QuarkusTestResource(RedisResource.class)
class BatchApiTest {

    private static final Path REPO = Path.of(System.getProperty("merlai.repo.root", "../.."));
    private static final Path ODE = REPO.resolve("examples/ode-to-joy.json");
    private static final Path LIEDER = REPO.resolve("examples/lieder");
    private static final Path LIED = LIEDER.resolve("lc5729860.mxl");
    private final ObjectStore store = S3ProxyResource.store();

    @Inject
    RedisDataSource redis;

    private String upload(String tenant, Path melody) throws Exception {
        String key = StorageLayout.inbox(tenant) + melody.getFileName();
        store.put(key, Files.readAllBytes(melody), "application/octet-stream");
        return key;
    }

    private static String batchOfKeys(List<String> keys) {
        return "{\"seed\": 3, \"keys\": [" + String.join(", ", keys.stream().map(k -> "\"" + k + "\"").toList()) + "]}";
    }

    @Test
    void aBatchOfInboxKeysIsOneJobPerSongBilledAsTheirSingleCompletions() throws Exception {
        String alone = Accounts.bearer(Accounts.key("batch-alone", "pro"));
        for (Path song : List.of(ODE, LIED)) {
            given().header("Authorization", alone).contentType(ContentType.JSON).body("{\"seed\": 3, \"key\": \"" + upload("batch-alone", song) + "\"}")
                    .post("/v1/completions").then().statusCode(200);
        }
        String auth = Accounts.bearer(Accounts.key("batch-keys", "pro"));
        List<String> keys = List.of(upload("batch-keys", ODE), StorageLayout.inbox("batch-keys") + "never-uploaded.mid", upload("batch-keys", LIED));

        ExtractableResponse<Response> created = given().header("Authorization", auth).contentType(ContentType.JSON).body(batchOfKeys(keys))
                .post("/v1/batches").then().statusCode(201).extract();

        List<Map<String, Object>> songs = created.path("songs");
        assertEquals(keys, songs.stream().map(s -> s.get("name")).toList());
        assertNotEquals("failed", songs.get(0).get("state"), songs.toString());
        assertEquals("failed", songs.get(1).get("state"));
        assertTrue(String.valueOf(songs.get(1).get("error")).contains("never-uploaded.mid"), songs.toString());
        assertNotEquals("failed", songs.get(2).get("state"), songs.toString());
        assertEquals(Accounts.billedBars("batch-alone"), Accounts.billedBars("batch-keys"), "billed per song exactly as single completions");

        String batch = created.path("batch");
        given().header("Authorization", auth).get(created.header("Location")).then().statusCode(200)
                .body("batch", equalTo(batch)).body("songs.size()", equalTo(3)).body("counts.failed", equalTo(1))
                .body("songs[0].job", equalTo(songs.get(0).get("job")));
        given().header("Authorization", auth).get("/v1/jobs/" + songs.get(2).get("job")).then().statusCode(200).body("input", equalTo(keys.get(2)));
    }

    @Test
    void eachSongOfABatchIsWhatItsOwnCompletionWritesAndABadSongFailsAlone() throws Exception {
        String tenant = "batch-same";
        String auth = Accounts.bearer(Accounts.key(tenant, "pro"));
        List<String> keys = new ArrayList<>();
        for (Path song : List.of(ODE, LIED, LIEDER.resolve("lc5978033.mxl"), LIEDER.resolve("lc6488630.mxl"))) keys.add(upload(tenant, song));
        String broken = StorageLayout.inbox(tenant) + "broken.mid";
        store.put(broken, "not midi at all".getBytes(), "application/octet-stream");
        keys.add(2, broken);
        forgetCachedArrangements(); // each song arranged by the models, in the batch and alone

        List<Map<String, Object>> songs = given().header("Authorization", auth).contentType(ContentType.JSON).body(batchOfKeys(keys))
                .post("/v1/batches").then().statusCode(201).extract().path("songs");

        assertEquals(broken, songs.get(2).get("name"));
        assertEquals("failed", songs.get(2).get("state"), songs.toString());
        assertTrue(String.valueOf(songs.get(2).get("error")).contains("not a Standard MIDI File"), songs.toString());
        forgetCachedArrangements();
        for (int i = 0; i < keys.size(); i++) {
            if (i == 2) continue;
            assertNotEquals("failed", songs.get(i).get("state"), songs.toString());
            String alone = given().header("Authorization", auth).contentType(ContentType.JSON).body("{\"seed\": 3, \"key\": \"" + keys.get(i) + "\"}")
                    .post("/v1/completions").then().statusCode(200).extract().path("job");
            assertArrayEquals(midi(tenant, alone), midi(tenant, (String) songs.get(i).get("job")), keys.get(i));
        }
    }

    private byte[] midi(String tenant, String job) {
        return store.get(StorageLayout.result(tenant, job, StorageLayout.ARRANGEMENT_MIDI)).orElseThrow();
    }

    private void forgetCachedArrangements() {
        List<String> cached = redis.key().keys("merlai:completion:*");
        if (!cached.isEmpty()) redis.key().del(cached.toArray(String[]::new));
    }

    @Test
    void aRetriedBatchWithTheSameIdempotencyKeyIsNotBilledAgain() throws Exception {
        String auth = Accounts.bearer(Accounts.key("batch-retry", "pro"));
        String body = batchOfKeys(List.of(upload("batch-retry", ODE)));
        String first = given().header("Authorization", auth).header("Idempotency-Key", "nightly-1").contentType(ContentType.JSON).body(body)
                .post("/v1/batches").then().statusCode(201).extract().path("batch");
        long billed = Accounts.billedBars("batch-retry");
        given().header("Authorization", auth).header("Idempotency-Key", "nightly-1").contentType(ContentType.JSON).body(body)
                .post("/v1/batches").then().statusCode(201).body("batch", equalTo(first));
        assertTrue(billed > 0);
        assertEquals(billed, Accounts.billedBars("batch-retry"));
    }

    @Test
    void anotherTenantsKeyOrAModelItDoesNotHaveIsNamedInA400AndNothingIsCompleted() throws Exception {
        String auth = Accounts.bearer(Accounts.key("batch-honest", "pro"));
        List<String> keys = List.of(upload("batch-honest", ODE), StorageLayout.inbox("someone-else") + "song.mid");

        given().header("Authorization", auth).contentType(ContentType.JSON).body(batchOfKeys(keys)).post("/v1/batches").then()
                .statusCode(400).contentType("application/problem+json").body("field", equalTo("keys[1]"));
        given().header("Authorization", auth).contentType(ContentType.JSON).body("{\"model\": \"m-none\", \"keys\": [\"" + keys.get(0) + "\"]}")
                .post("/v1/batches").then().statusCode(400).contentType("application/problem+json").body("field", equalTo("model"));
        assertEquals(0, Accounts.billedBars("batch-honest"));
        given().header("Authorization", auth).contentType("application/zip").body(new byte[]{'P', 'K'}).queryParam("seed", "seven")
                .post("/v1/batches").then().statusCode(400).contentType("application/problem+json").body("field", equalTo("seed"));
    }

    @Test
    void aBatchsOptionsAreReadAsStrictlyAsASingleCompletions() throws Exception {
        String auth = Accounts.bearer(Accounts.key("batch-strict", "pro"));
        String key = upload("batch-strict", ODE);
        for (String options : List.of("\"seed\": \"7\"", "\"seed\": 1.5", "\"style\": 3")) {
            given().header("Authorization", auth).contentType(ContentType.JSON).body("{" + options + ", \"keys\": [\"" + key + "\"]}")
                    .post("/v1/batches").then().statusCode(400).contentType("application/problem+json")
                    .body("field", equalTo(options.substring(1, options.indexOf('"', 1))));
            given().header("Authorization", auth).contentType(ContentType.JSON).body("{" + options + ", \"key\": \"" + key + "\"}")
                    .post("/v1/completions").then().statusCode(400).contentType("application/problem+json");
        }
        assertEquals(0, Accounts.billedBars("batch-strict"));
    }

    @Test
    void aZipOfMelodiesIsOneJobPerFileAndAFileThatIsNoMelodyFailsAlone() throws Exception {
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(zipped)) {
            for (Path song : List.of(ODE, LIED)) {
                zip.putNextEntry(new ZipEntry("songs/" + song.getFileName()));
                zip.write(Files.readAllBytes(song));
            }
            zip.putNextEntry(new ZipEntry("songs/broken.mid"));
            zip.write("not midi at all".getBytes());
        }
        String auth = Accounts.bearer(Accounts.key("batch-zip", "pro"));

        ExtractableResponse<Response> created = given().header("Authorization", auth).contentType("application/zip").body(zipped.toByteArray())
                .queryParam("seed", "3").queryParam("style", "lied").post("/v1/batches").then().statusCode(201).extract();

        List<Map<String, Object>> songs = created.path("songs");
        assertEquals(List.of("songs/ode-to-joy.json", "songs/lc5729860.mxl", "songs/broken.mid"), songs.stream().map(s -> s.get("name")).toList());
        assertNotEquals("failed", songs.get(0).get("state"), songs.toString());
        assertNotEquals("failed", songs.get(1).get("state"), songs.toString());
        assertEquals("failed", songs.get(2).get("state"));
        assertTrue(Accounts.billedBars("batch-zip") > 0);
        given().header("Authorization", auth).get("/v1/jobs/" + songs.get(0).get("job")).then().statusCode(200).body("seed", equalTo(3));
    }

    @Test
    void anUnknownBatchIsA404Problem() {
        String auth = Accounts.bearer(Accounts.key("batch-curious", "pro"));
        given().header("Authorization", auth).get("/v1/batches/no-such-batch").then().statusCode(404).contentType("application/problem+json")
                .body("type", equalTo(BatchRoutes.NO_SUCH_BATCH_TYPE)).body("detail", containsString("no-such-batch"));
    }
}
