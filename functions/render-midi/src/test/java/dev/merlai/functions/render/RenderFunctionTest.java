package dev.merlai.functions.render;

import dev.merlai.events.EventTypes;
import dev.merlai.events.PluginsRecommended;
import dev.merlai.music.Chord;
import dev.merlai.music.ChordSpan;
import dev.merlai.music.Note;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.Track;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.Scores;
import dev.merlai.music.json.ScoreJson;
import dev.merlai.platform.http.InvalidRequestException;
import dev.merlai.plugins.Catalog;
import dev.merlai.plugins.PluginsDocument;
import dev.merlai.plugins.Preferences;
import dev.merlai.plugins.Ranker;
import dev.merlai.storage.JobRecord;
import dev.merlai.storage.JobState;
import dev.merlai.storage.JobStore;
import dev.merlai.storage.ObjectStore;
import dev.merlai.storage.StorageLayout;
import dev.merlai.testing.Promtool;
import dev.merlai.testing.OversizedRequests;
import dev.merlai.testing.RedisResource;
import dev.merlai.testing.S3ProxyResource;
import dev.merlai.tenancy.usage.Unit;
import dev.merlai.tenancy.usage.UsageLedger;
import dev.merlai.testing.SignedEvents;
import io.quarkus.funqy.knative.events.CloudEventBuilder;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import javax.sound.sampled.AudioInputStream;
import javax.sound.sampled.AudioSystem;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.endsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** render-midi against a real S3 server, called directly and as the broker delivers dev.merlai.plugins.recommended. */
@QuarkusTest
@QuarkusTestResource(S3ProxyResource.class)
@QuarkusTestResource(RedisResource.class)
class RenderFunctionTest {

    private static final int Q = Score.TICKS_PER_QUARTER;

    @Inject
    RenderFunction function;

    @Inject
    UsageLedger usage;

    private final ObjectStore store = S3ProxyResource.store();
    private final JobStore jobs = new JobStore(store);

    static Score arrangement() {
        Track melody = new Track("MELODY", Role.MELODY, 0, 0, List.of(new Note(72, 100, 0, 2 * Q), new Note(74, 100, 2 * Q, 2 * Q)));
        Track bass = new Track("BASS", Role.BASS, 33, 2, List.of(new Note(36, 100, 0, 4 * Q)));
        return Score.of(List.of(melody, bass)).withChords(List.of(new ChordSpan(0, 4 * Q, Chord.parse("C:maj"))));
    }

    private void arranged(String tenant, String job) {
        jobs.save(JobRecord.queued(job, tenant, "inline", 1, Instant.now()).completed("test-model", List.of(StorageLayout.ARRANGEMENT_JSON), JobState.RENDERING, Instant.now()));
        jobs.putResult(tenant, job, StorageLayout.ARRANGEMENT_JSON, ScoreJson.write(arrangement()), "application/json");
    }

    private static PluginsRecommended request(String tenant, String job) {
        return request(tenant, job, null);
    }

    private static PluginsRecommended request(String tenant, String job, Map<Integer, Integer> programs) {
        return new PluginsRecommended(tenant, job, "tenants/" + tenant + "/results/" + job + "/plugins.json", 1, null, programs);
    }

    @Test
    void writesScoreAudioAndPictureAndMarksTheJobDone() throws Exception {
        arranged("demo", "r1");
        var answer = function.render(CloudEventBuilder.create().id("e1").source("/test").build(request("demo", "r1")));
        assertEquals(EventTypes.RENDER_COMPLETED, answer.type());
        assertEquals("r1", answer.subject());

        try (AudioInputStream wav = AudioSystem.getAudioInputStream(new ByteArrayInputStream(jobs.result("demo", "r1", "preview.wav").orElseThrow()))) {
            byte[] samples = wav.readAllBytes();
            double seconds = wav.getFrameLength() / (double) wav.getFormat().getFrameRate();
            assertTrue(seconds >= 2 && seconds <= 6, "4 quarters at 120 bpm plus a tail, was " + seconds);
            assertTrue(rms(samples) > 100, "the preview has sound");
        }
        // Read back with Merlai's MusicXML reader, the one that reads a songwriter's uploaded .musicxml.
        Score notation = Scores.read(jobs.result("demo", "r1", "arrangement.musicxml").orElseThrow(), "arrangement.musicxml", ReadOptions.DEFAULT).score();
        assertEquals(List.of(72, 74), notation.tracks().get(0).notes().stream().map(Note::pitch).toList(), "the melody, note for note");
        assertEquals(2, notation.tracks().size(), "MELODY and BASS");

        BufferedImage picture = ImageIO.read(new ByteArrayInputStream(jobs.result("demo", "r1", "pianoroll.png").orElseThrow()));
        assertTrue(picture.getWidth() > 100 && picture.getHeight() > 100);

        JobRecord job = jobs.find("demo", "r1").orElseThrow();
        assertEquals(JobState.DONE, job.state());
        assertTrue(job.files().containsAll(List.of("arrangement.json", "arrangement.musicxml", "preview.wav", "stems/melody.wav", "stems/bass.wav", "pianoroll.png")), job.files().toString());
        assertTrue(jobs.result("demo", "r1", "arrangement.mid").isEmpty(), "arrangement.mid is complete's to write, not render-midi's");
    }

    @Test
    void writesOneStemPerTrackOfThePreviewsLengthListedInTheJob() throws Exception {
        arranged("demo", "r5");
        function.render(CloudEventBuilder.create().id("e5").source("/test").build(request("demo", "r5")));
        long previewFrames = frames(jobs.result("demo", "r5", "preview.wav").orElseThrow());
        for (String stem : List.of("stems/melody.wav", "stems/bass.wav")) {
            byte[] wav = jobs.result("demo", "r5", stem).orElseThrow();
            assertEquals(previewFrames, frames(wav), stem);
            try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
                assertTrue(rms(in.readAllBytes()) > 100, stem + " has sound");
            }
        }
        assertTrue(jobs.find("demo", "r5").orElseThrow().files().containsAll(List.of("stems/melody.wav", "stems/bass.wav")));
    }

    @Test
    void prometheusMetricsHoldTheRenderTimeAsAHistogramThatPromtoolAccepts() throws Exception {
        arranged("demo", "r6");
        function.render(CloudEventBuilder.create().id("e6").source("/test").build(request("demo", "r6")));
        String metrics = given().accept(Promtool.TEXT_FORMAT).get("/q/metrics").then().statusCode(200).extract().asString();
        Promtool.assertLintsCleanWithHistogram(metrics, "merlai_render_seconds");
    }

    private static long frames(byte[] wav) throws Exception {
        try (AudioInputStream in = AudioSystem.getAudioInputStream(new ByteArrayInputStream(wav))) {
            return in.getFrameLength();
        }
    }

    @Test
    void answersThePluginsRecommendedEventWithRenderCompleted() {
        arranged("demo", "r2");
        given().filter(SignedEvents.SIGNED).contentType(ContentType.JSON)
                .header("ce-specversion", "1.0").header("ce-id", "r2-plugins")
                .header("ce-type", EventTypes.PLUGINS_RECOMMENDED).header("ce-source", EventTypes.RECOMMEND_SOURCE)
                .header("ce-subject", "r2")
                .body("{\"tenant\": \"demo\", \"job\": \"r2\", \"file\": \"tenants/demo/results/r2/plugins.json\"}")
                .post("/")
                .then().statusCode(200)
                .header("ce-type", EventTypes.RENDER_COMPLETED)
                .header("ce-subject", "r2")
                .body("files", hasItem(endsWith("preview.wav")));
    }

    @Test
    void theSecondsRenderedAreBilledOnceHoweverOftenTheEventComes() throws Exception {
        arranged("billed", "r4");
        double seconds = 0;
        for (int delivery = 0; delivery < 3; delivery++) {
            seconds = function.render(CloudEventBuilder.create().id("r4-arranged").source("/test").build(request("billed", "r4"))).data().seconds();
        }
        assertEquals((long) Math.ceil(seconds), usage.monthTotal("billed", java.time.YearMonth.now(java.time.ZoneOffset.UTC), Unit.AUDIO_SECONDS));
        assertEquals(1, store.list("system/usage/billed/").size());
    }

    @Test
    void aProgramOutsideGeneralMidiIsA400NamingPrograms() {
        arranged("demo", "r6");
        given().filter(SignedEvents.SIGNED).contentType(ContentType.JSON)
                .header("ce-specversion", "1.0").header("ce-id", "r6-plugins")
                .header("ce-type", EventTypes.PLUGINS_RECOMMENDED).header("ce-source", "/test")
                .body("{\"tenant\": \"demo\", \"job\": \"r6\", \"programs\": {\"0\": 300}}")
                .post("/")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("programs"));
    }

    @Test
    void anUnknownJobIsA400ProblemAndNotRetried() {
        assertThrows(InvalidRequestException.class, () -> function.render(CloudEventBuilder.create().id("e3").source("/t").build(request("demo", "missing"))));
        given().filter(SignedEvents.SIGNED).contentType(ContentType.JSON)
                .header("ce-specversion", "1.0").header("ce-id", "bad-1")
                .header("ce-type", EventTypes.PLUGINS_RECOMMENDED).header("ce-source", "/test")
                .body("{\"tenant\": \"demo\", \"job\": \"../../etc\"}")
                .post("/")
                .then().statusCode(400).contentType("application/problem+json").body("field", equalTo("job"));
    }

    @Test
    void eachTrackPlaysTheStandInOfItsTopSuggestion() throws Exception {
        arranged("demo", "r4");
        // As recommend-plugin writes it: the bass (track 1) is best played by an upright bass, GM 33 "Acoustic Bass".
        Map<Integer, Integer> suggested = PluginsDocument.recommend("demo", "r4", arrangement(), "jazz", Catalog.seed(),
                Preferences.NONE, Map.of(), Ranker.standard(), 3).programs();
        assertEquals(32, suggested.get(1));
        assertEquals(56, suggested.get(0), "a jazz melody: a trumpet");
        function.render(CloudEventBuilder.create().id("e4").source("/test").build(request("demo", "r4", suggested)));
        assertEquals(Map.of(0, 56, 2, 32), programs(jobs.result("demo", "r4", "arrangement.musicxml").orElseThrow()),
                "the melody (channel 0) plays Trumpet, the bass (channel 2) Acoustic Bass instead of Electric Bass (finger)");
    }

    @Test
    void withoutSuggestedProgramsEveryTrackKeepsItsOwnProgram() throws Exception {
        arranged("demo", "r5");
        function.render(CloudEventBuilder.create().id("e5").source("/test").build(request("demo", "r5")));
        assertEquals(Map.of(0, 0, 2, 33), programs(jobs.result("demo", "r5", "arrangement.musicxml").orElseThrow()));
        assertEquals(JobState.DONE, jobs.find("demo", "r5").orElseThrow().state());
    }

    /** Channel to the program of the score's part that plays on it. */
    private static Map<Integer, Integer> programs(byte[] musicXml) throws Exception {
        Map<Integer, Integer> programs = new java.util.TreeMap<>();
        for (Track track : Scores.read(musicXml, "arrangement.musicxml", ReadOptions.DEFAULT).score().tracks()) {
            programs.putIfAbsent(track.channel(), track.program());
        }
        return programs;
    }

    private static double rms(byte[] pcm16) {
        double sum = 0;
        int n = pcm16.length / 2;
        for (int i = 0; i < n; i++) {
            short sample = (short) ((pcm16[2 * i] & 0xFF) | (pcm16[2 * i + 1] << 8));
            sum += sample * (double) sample;
        }
        return Math.sqrt(sum / Math.max(1, n));
    }

    @Test
    void requestHeadsOverTheLimitsAreProblems414And431() {
        OversizedRequests.assertEachIsAProblem("/render-midi");
    }
}
