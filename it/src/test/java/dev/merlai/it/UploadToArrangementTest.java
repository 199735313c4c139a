package dev.merlai.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merlai.events.EventSignature;
import dev.merlai.events.EventTypes;
import dev.merlai.local.LocalMerlai;
import dev.merlai.music.Score;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.midi.MidiReader;
import dev.merlai.storage.JobRecord;
import dev.merlai.storage.JobState;
import dev.merlai.storage.JobStore;
import dev.merlai.storage.ObjectStore;
import dev.merlai.storage.StorageLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Upload to arrangement, end to end on one machine exactly as {@code merlai serve} runs it: a melody put into a
 * tenant's inbox with a plain S3 client produces the whole result set (complete -> recommend-plugin -> render-midi),
 * with no other call; and a training set uploaded the same way becomes a personalised model (a training request event,
 * the local training process) that complete uses.
 */
class UploadToArrangementTest {

    private static final Duration PATIENCE = Duration.ofMinutes(3);

    @TempDir
    static Path data;
    private static LocalMerlai merlai;
    private static ObjectStore store;
    private static JobStore jobs;
    private static String demoKey;

    @BeforeAll
    static void startMerlai() throws Exception {
        merlai = LocalRun.start(data);
        store = LocalRun.store(merlai);
        jobs = new JobStore(store);
        demoKey = createTenant("demo");
        createTenant("replay");
    }

    private static String createTenant(String tenant) throws Exception {
        return LocalRun.createTenant(merlai, tenant);
    }

    @AfterAll
    static void stopMerlai() {
        if (store != null) store.close();
        if (merlai != null) merlai.close();
    }

    private static Path repo() {
        return LocalRun.repo();
    }

    /** Waits until the tenant has a job for the input in a final state. */
    private static JobRecord finalJobFor(String tenant, String inputKey) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            for (String key : store.list("tenants/" + tenant + "/results/")) {
                if (!key.endsWith("/" + StorageLayout.JOB)) continue;
                Optional<JobRecord> job = store.get(key).map(JobRecord::fromJson).filter(j -> j.input().equals(inputKey));
                if (job.isPresent() && (job.get().state() == JobState.DONE || job.get().state() == JobState.FAILED)) return job.get();
            }
            Thread.sleep(250);
        }
        throw new AssertionError("no finished job for " + inputKey + " within " + PATIENCE);
    }

    @Test
    void anUploadedMelodyProducesTheWholeResultSet() throws Exception {
        byte[] melody = Files.readAllBytes(repo().resolve("music/src/test/resources/midi/pop909-098.mid"));
        store.put("tenants/demo/inbox/song.mid", melody, "audio/midi");

        JobRecord job = finalJobFor("demo", "tenants/demo/inbox/song.mid");
        assertEquals(JobState.DONE, job.state(), job.error());
        assertTrue(job.files().containsAll(List.of("arrangement.json", "plugins.json", "arrangement.mid", "preview.wav", "pianoroll.png")), job.files().toString());
        assertFalse(job.modelVersion().isEmpty());

        Score arranged = new MidiReader().read(jobs.result("demo", job.job(), "arrangement.mid").orElseThrow(), ReadOptions.DEFAULT).score();
        JsonNode plugins = new ObjectMapper().readTree(jobs.result("demo", job.job(), "plugins.json").orElseThrow());
        assertFalse(plugins.has("error"), plugins.path("error").asText());
        int suggested = 0;
        for (JsonNode track : plugins.get("tracks")) {
            if (track.get("recommendations").isEmpty()) continue;
            suggested++;
            JsonNode top = track.get("recommendations").get(0);
            assertFalse(top.get("reasons").isEmpty(), "suggestions say why");
            assertEquals(top.get("gmProgram").asInt(), track.get("gmProgram").asInt());
        }
        // arrangement.mid is complete's alone (one writer per result): it keeps the arrangement's own programs; the preview,
        // stems and MusicXML play the stand-ins of the suggestions.
        Score stored = dev.merlai.music.io.Scores.read(jobs.result("demo", job.job(), "arrangement.json").orElseThrow(), "arrangement.json", ReadOptions.DEFAULT).score();
        for (dev.merlai.music.Track track : stored.tracks()) {
            assertEquals(track.program(), arranged.tracks().stream().filter(t -> t.name().equals(track.name())).findFirst().orElseThrow().program(), track.name());
        }
        assertTrue(suggested >= 2, "the melody and the accompaniment get suggestions: " + plugins);
        Score input = new MidiReader().read(melody, ReadOptions.DEFAULT).score();
        assertEquals(input.melody().orElseThrow().notes(), arranged.melody().orElseThrow().notes(), "the melody is kept note for note");
        assertTrue(arranged.tracks().size() > input.tracks().stream().filter(t -> t.role() == dev.merlai.music.Role.MELODY).count());
        assertFalse(arranged.chords().isEmpty());

        try (AudioInputStream wav = AudioSystem.getAudioInputStream(new ByteArrayInputStream(jobs.result("demo", job.job(), "preview.wav").orElseThrow()))) {
            byte[] pcm = wav.readAllBytes();
            long loud = 0;
            for (int i = 0; i + 1 < pcm.length; i += 2) if (Math.abs((short) ((pcm[i] & 0xFF) | (pcm[i + 1] << 8))) > 1000) loud++;
            assertTrue(loud > 1000, "the preview has sound");
        }
        BufferedImage picture = ImageIO.read(new ByteArrayInputStream(jobs.result("demo", job.job(), "pianoroll.png").orElseThrow()));
        assertTrue(picture.getWidth() > 400);

        // billed to the tenant whose inbox it was: the bars arranged and the seconds of audio rendered, one record each
        assertEquals(List.of("bars.json", "audio-seconds.json"), store.list("system/usage/demo/" + job.job() + "/").stream()
                .map(k -> k.substring(k.lastIndexOf('/') + 1)).sorted(java.util.Comparator.reverseOrder()).toList());
        HttpResponse<String> usage = HttpClient.newHttpClient().send(HttpRequest.newBuilder(merlai.functionUrl(LocalMerlai.ACCOUNT).resolve("/v1/usage"))
                .header("Authorization", "Bearer " + demoKey).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, usage.statusCode(), usage.body());
        var totals = new ObjectMapper().readTree(usage.body()).get("totals");
        assertTrue(totals.get("bars").asLong() >= arranged.meter().bars(arranged.endTick()).size() && totals.get("audio-seconds").asLong() > 0, usage.body());
    }

    /** The router takes only events signed with merlai serve's events secret, as its inbox watcher signs them. */
    private static String signed(String id, String type, String body) {
        return merlai.eventSignature().sign(id, "/it", type, null, body.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }

    @Test
    void aLiedIsArrangedAsALiedAndGetsInstrumentsForALied() throws Exception {
        // The upload names its style in its metadata (a completion reads only the tenant's inbox and results).
        store.put("tenants/demo/inbox/lied.mxl", Files.readAllBytes(repo().resolve("music/src/test/resources/musicxml/lc5729860.mxl")),
                "application/vnd.recordare.musicxml", java.util.Map.of("merlai-style", "lied"));

        JobRecord job = finalJobFor("demo", "tenants/demo/inbox/lied.mxl");
        assertEquals(JobState.DONE, job.state(), job.error());
        JsonNode plugins = new ObjectMapper().readTree(jobs.result("demo", job.job(), "plugins.json").orElseThrow());
        assertEquals("lied", plugins.path("style").asText(), "complete names the style and recommend-plugin ranks for it: " + plugins.path("style"));
        int pianos = 0;
        for (JsonNode track : plugins.get("tracks")) {
            if (track.get("recommendations").isEmpty()) continue;
            JsonNode top = track.get("recommendations").get(0);
            assertTrue(top.get("reasons").toString().contains("in lied"), track.get("name") + ": " + top.get("reasons"));
            if (track.get("role").asText().equals("piano")) {
                pianos++;
                assertEquals("acoustic-piano", top.get("category").asText(), "a lied's accompaniment is a grand piano: " + top.get("id"));
            }
        }
        assertTrue(pianos > 0, "the lied has a piano accompaniment: " + plugins);
    }

    @Test
    void aCompletionAskedForOverHttpIsFinishedLikeAnUpload() throws Exception {
        HttpResponse<String> answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(merlai.functionUrl(LocalMerlai.COMPLETE).resolve("/v1/completions"))
                .header("Authorization", "Bearer " + demoKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"score\": " + Files.readString(repo().resolve("examples/ode-to-joy.json")) + "}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        String job = new ObjectMapper().readTree(answer.body()).get("job").asText();
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        JobRecord record = jobs.find("demo", job).orElseThrow();
        while (record.state() != JobState.DONE && record.state() != JobState.FAILED && System.nanoTime() < deadline) {
            Thread.sleep(250);
            record = jobs.find("demo", job).orElseThrow();
        }
        assertEquals(JobState.DONE, record.state(), record.error());
        assertTrue(record.files().containsAll(List.of("plugins.json", "arrangement.mid", "preview.wav", "pianoroll.png")), record.files().toString());
    }

    @Test
    void aCorruptUploadEndsAsAFailedJobWithAReason() throws Exception {
        store.put("tenants/demo/inbox/broken.mid", "MThd this is not MIDI".getBytes(), "audio/midi");
        JobRecord job = finalJobFor("demo", "tenants/demo/inbox/broken.mid");
        assertEquals(JobState.FAILED, job.state());
        assertFalse(job.error().isBlank());
    }

    @Test
    void theSameEventDeliveredThreeTimesMakesOneJob() throws Exception {
        store.put("tenants/replay/inbox/ode.json", Files.readAllBytes(repo().resolve("examples/ode-to-joy.json")), "application/json");
        JobRecord first = finalJobFor("replay", "tenants/replay/inbox/ode.json");
        HttpClient http = HttpClient.newHttpClient();
        // One more event for the same upload, delivered three times through the router as a broker's redelivery would.
        for (int i = 0; i < 3; i++) {
            String ode = "{\"tenant\":\"replay\",\"key\":\"tenants/replay/inbox/ode.json\"}";
            HttpRequest again = HttpRequest.newBuilder(merlai.routerUrl().resolve("/"))
                    .header("ce-specversion", "1.0").header("ce-id", "redelivered-1").header("ce-source", "/it")
                    .header("ce-type", EventTypes.MELODY_UPLOADED).header("Content-Type", "application/json")
                    .header(EventSignature.HEADER, signed("redelivered-1", EventTypes.MELODY_UPLOADED, ode))
                    .POST(HttpRequest.BodyPublishers.ofString(ode)).build();
            int status = http.send(again, HttpResponse.BodyHandlers.ofString()).statusCode();
            assertTrue(status >= 200 && status < 300, "the router accepts the event, status " + status);
        }
        long jobsForInput = store.list("tenants/replay/results/").stream().filter(k -> k.endsWith("/job.json")).count();
        assertEquals(1, jobsForInput, "an upload is one job, whichever events announce it");
        assertEquals(JobState.DONE, jobs.find("replay", first.job()).orElseThrow().state());
        List<String> records = store.list("system/usage/replay/").stream().filter(k -> k.matches(".*/(bars|audio-seconds)\\.json")).toList();
        assertEquals(2, records.size(), "one job, billed once for bars and once for audio: " + records);
    }


    @Test
    void aTrainingSetBecomesAModelThatCompleteThenUses() throws Exception {
        String composerKey = createTenant("composer");
        for (String file : List.of("lc5729860.mxl", "lc5978033.mxl", "lc6488630.mxl", "lc8718660.mxl")) {
            store.put("tenants/composer/training/lieder/" + file, Files.readAllBytes(repo().resolve("music/src/test/resources/musicxml/" + file)),
                    "application/vnd.recordare.musicxml");
        }
        HttpClient http = HttpClient.newHttpClient();
        String request = "{\"tenant\":\"composer\",\"set\":\"lieder\",\"style\":\"lied\",\"quick\":true}";
        HttpRequest train = HttpRequest.newBuilder(merlai.routerUrl().resolve("/"))
                .header("ce-specversion", "1.0").header("ce-id", "train-1").header("ce-source", "/it")
                .header("ce-type", EventTypes.TRAINING_REQUESTED).header("ce-subject", "tenants/composer/training/lieder/")
                .header("Content-Type", "application/json")
                .header(EventSignature.HEADER, merlai.eventSignature().sign("train-1", "/it", EventTypes.TRAINING_REQUESTED,
                        "tenants/composer/training/lieder/", request.getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .POST(HttpRequest.BodyPublishers.ofString(request)).build();
        int accepted = http.send(train, HttpResponse.BodyHandlers.ofString()).statusCode();
        assertTrue(accepted >= 200 && accepted < 300, "the router accepts the request, status " + accepted);

        String model = "m" + JobStore.jobIdForEvent("/it", "train-1").substring(1);
        String record = "tenants/composer/models/" + model + "/training.json";
        long deadline = System.nanoTime() + Duration.ofMinutes(6).toNanos();
        String state = "";
        while (System.nanoTime() < deadline && !(state = store.get(record).map(String::new).orElse("")).matches("(?s).*\"state\" : \"(done|failed)\".*")) {
            Thread.sleep(500);
        }
        assertTrue(state.contains("\"state\" : \"done\""), state);
        // billed to the tenant the event named, once, under the model id
        assertEquals(List.of("system/usage/composer/" + model + "/training-minutes.json"),
                store.list("system/usage/composer/").stream().filter(k -> k.endsWith(".json")).toList());
        HttpResponse<String> job = http.send(HttpRequest.newBuilder(merlai.functionUrl(LocalMerlai.TRAIN_TRIGGER).resolve("/v1/training/" + model))
                .header("Authorization", "Bearer " + composerKey).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, job.statusCode(), job.body());
        HttpResponse<String> others = http.send(HttpRequest.newBuilder(merlai.functionUrl(LocalMerlai.TRAIN_TRIGGER).resolve("/v1/training/" + model))
                .header("Authorization", "Bearer " + demoKey).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(404, others.statusCode(), "another tenant's key does not find the model");

        HttpRequest complete = HttpRequest.newBuilder(merlai.functionUrl(LocalMerlai.COMPLETE).resolve("/v1/completions"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + composerKey)
                .POST(HttpRequest.BodyPublishers.ofString("{\"tenant\":\"composer\",\"style\":\"lied\",\"model\":\"" + model
                        + "\",\"score\":" + Files.readString(repo().resolve("examples/ode-to-joy.json")) + "}")).build();
        HttpResponse<String> answer = http.send(complete, HttpResponse.BodyHandlers.ofString());
        assertEquals(200, answer.statusCode(), answer.body());
        assertTrue(answer.body().contains("composer/" + model + ":"), answer.body());
    }
}
