package dev.merlai.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.Track;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.Scores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** merlai live --replay: the example's melody played into the in-process engine (fast), recorded and measured. */
class LiveCommandTest {

    private static final Path REPO = Path.of(System.getProperty("merlai.repo.root", "..")).toAbsolutePath();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private PrintStream originalOut;
    private PrintStream originalErr;

    @BeforeEach
    void capture() {
        originalOut = System.out;
        originalErr = System.err;
        System.setOut(new PrintStream(out, true));
        System.setErr(new PrintStream(err, true));
    }

    @AfterEach
    void restore() {
        System.setOut(originalOut);
        System.setErr(originalErr);
    }

    @Test
    void replayWritesTheMelodyWithWhatTheEnginePlayedAndPrintsTheFigures(@TempDir Path dir) throws Exception {
        Path played = dir.resolve("played.mid");
        Path song = REPO.resolve("examples/ode-to-joy.json");
        assertEquals(0, Merlai.run("live", "--replay", song.toString(), "-o", played.toString(), "--speed", "20"), err.toString());

        Score score = Scores.read(played, ReadOptions.DEFAULT).score();
        Score input = Scores.read(song, ReadOptions.DEFAULT).score();
        assertEquals(input.melody().orElseThrow().notes(), score.melody().orElseThrow().notes(), "the melody is kept note for note");
        assertTrue(score.tracks().stream().anyMatch(track -> track.role() == Role.BASS && !track.notes().isEmpty()));
        assertTrue(score.tracks().stream().anyMatch(track -> track.channel() == Track.DRUM_CHANNEL && !track.notes().isEmpty()), "pop plays drums");
        assertFalse(score.chords().isEmpty());

        JsonNode figures = new ObjectMapper().readTree(out.toString());
        assertEquals(2L * input.melody().orElseThrow().notes().size(), figures.get("melodyEvents").asLong());
        assertTrue(figures.get("events").asInt() > 0);
        assertTrue(figures.has("lateEvents") && figures.get("engineMillisPerMelodyEvent").has("p99"));
    }

    @Test
    void replayWithoutAnOutputOrWithAZeroSpeedIsExitCodeTwo(@TempDir Path dir) {
        String song = REPO.resolve("examples/ode-to-joy.json").toString();
        assertEquals(Merlai.BAD_INPUT, Merlai.run("live", "--replay", song));
        assertEquals(Merlai.BAD_INPUT, Merlai.run("live", "--replay", song, "-o", dir.resolve("a.mid").toString(), "--speed", "0"));
        assertEquals(Merlai.BAD_INPUT, Merlai.run("live"));
    }

    @Test
    void liveTakesCompletesArrangementOptionsAndRefusesTheirBadValuesAsCompleteDoes(@TempDir Path dir) {
        String song = REPO.resolve("examples/ode-to-joy.json").toString();
        String played = dir.resolve("a.mid").toString();
        assertEquals(Merlai.BAD_INPUT, Merlai.run("live", "--replay", song, "-o", played, "--models", dir.toString()));
        assertTrue(err.toString().contains("no models here"), err.toString());
        assertEquals(Merlai.BAD_INPUT, Merlai.run("live", "--replay", song, "-o", played, "--humanize", "2"));
        assertEquals(Merlai.BAD_INPUT, Merlai.run("live", "--replay", song, "-o", played, "--temperature", "0"));
        assertEquals(Merlai.BAD_INPUT, Merlai.run("live", "--replay", song, "-o", played, "--chords", "1: C", "--chords-file", song));
        assertEquals(Merlai.BAD_INPUT, Merlai.run("live", "--replay", song, "-o", played, "--model", "m-1"), "a tenant's model is the live API's");
        assertTrue(err.toString().contains("--model"), err.toString());
    }
}
