package dev.merlai.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merlai.local.LocalMerlai;
import dev.merlai.music.Chord;
import dev.merlai.music.ChordSpan;
import dev.merlai.music.Score;
import dev.merlai.music.Track;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.Scores;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code merlai live --replay --url}: the replay over the live API of {@code merlai serve} (the real processes) sends
 * every option the API takes. The chords given are the ones played, drums none plays no drums, the look-ahead is the
 * one the server commits to, and a model the tenant does not have is refused before a note is played.
 */
class LiveReplayOverApiTest {

    @TempDir
    static Path data;
    private static LocalMerlai merlai;
    private static String apiKey;

    @BeforeAll
    static void startMerlai() throws Exception {
        merlai = LocalRun.start(data);
        apiKey = LocalRun.createTenant(merlai, "replayer");
    }

    @AfterAll
    static void stopMerlai() {
        if (merlai != null) merlai.close();
    }

    /** What {@code bin/merlai live} did: its exit code and what it printed. */
    private record Run(int exit, String out, String err) {
    }

    private static Run replay(Path played, String... options) throws Exception {
        List<String> command = new ArrayList<>(List.of("bin/merlai", "live", "--replay", "examples/ode-to-joy.json", "-o", played.toString(), "--speed", "2",
                "--url", merlai.functionUrl(LocalMerlai.LIVE).toString().replaceFirst("^http", "ws"), "--key", apiKey));
        command.addAll(List.of(options));
        Path out = Files.createTempFile(data, "live", ".out"), err = Files.createTempFile(data, "live", ".err");
        Process process = new ProcessBuilder(command).directory(LocalRun.repo().toFile()).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        assertTrue(process.waitFor(5, TimeUnit.MINUTES), "the replay ended");
        return new Run(process.exitValue(), Files.readString(out), Files.readString(err));
    }

    @Test
    void theReplaySendsTheChordsTheDrumsAndTheLookAheadItWasGiven() throws Exception {
        Path played = data.resolve("played.mid");
        Run run = replay(played, "--chords", "1-4: F", "--drums", "none", "--lookahead", "0.5", "--seed", "7");
        assertEquals(0, run.exit(), run.err());

        JsonNode figures = new ObjectMapper().readTree(run.out());
        Score score = Scores.read(played, ReadOptions.DEFAULT).score();
        double beatMillis = 60_000 / (figures.get("tempo").asDouble() * 2);
        assertEquals(beatMillis / 2, figures.get("lookaheadMillis").asDouble(), 0.5, "half a beat ahead, at the replay's speed");
        assertFalse(figures.get("modelVersion").asText().isEmpty(), "the base models played: " + figures);
        List<ChordSpan> firstBars = score.chords().stream().filter(span -> span.onset() < score.meter().bar(5).start()).toList();
        assertFalse(firstBars.isEmpty());
        assertEquals(List.of(Chord.parse("F")), firstBars.stream().map(ChordSpan::chord).distinct().toList(), "the given chords are played");
        assertTrue(score.tracks().stream().noneMatch(track -> track.channel() == Track.DRUM_CHANNEL), "no drums");
        assertTrue(score.tracks().size() > 1, "the rest of the accompaniment is played");
    }

    @Test
    void aModelTheTenantDoesNotHaveIsRefusedBeforeTheSongIsPlayed() throws Exception {
        Run run = replay(data.resolve("refused.mid"), "--model", "m-none");
        assertEquals(2, run.exit(), "bad input: " + run.err());
        assertTrue(run.err().contains("model: the live API refused the start: tenant replayer has no model m-none"), run.err());
    }
}
