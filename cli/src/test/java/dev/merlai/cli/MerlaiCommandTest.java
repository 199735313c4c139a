package dev.merlai.cli;

import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.Scores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The merlai command as a user runs it, including the examples the README shows. */
class MerlaiCommandTest {

    private static final Path REPO = Path.of(System.getProperty("merlai.repo.root", "..")).toAbsolutePath();
    @RegisterExtension
    final CapturedStderr err = new CapturedStderr();

    @Test
    void completesTheExampleIntoAMidiFileWithMelodyAccompanimentAndChords(@TempDir Path out) throws Exception {
        Path result = out.resolve("ode.mid");
        assertEquals(0, Merlai.run("complete", REPO.resolve("examples/ode-to-joy.json").toString(), "-o", result.toString(), "--seed", "7", "--style", "pop"));
        Score score = Scores.read(result, ReadOptions.DEFAULT).score();
        Score input = Scores.read(REPO.resolve("examples/ode-to-joy.json"), ReadOptions.DEFAULT).score();
        assertEquals(input.melody().orElseThrow().notes(), score.melody().orElseThrow().notes());
        assertEquals("MELODY", score.melody().orElseThrow().name());
        assertTrue(score.tracks().stream().anyMatch(t -> t.role().isAccompaniment() && !t.notes().isEmpty()));
        assertTrue(score.tracks().stream().filter(t -> t.role().isAccompaniment()).noneMatch(t -> t.channel() == 9));
        assertFalse(score.chords().isEmpty());
    }

    @Test
    void stemsAreOneWavPerTrackOfTheSameLength(@TempDir Path out) throws Exception {
        Path result = out.resolve("ode.mid");
        Path stems = out.resolve("stems");
        assertEquals(0, Merlai.run("complete", REPO.resolve("examples/ode-to-joy.json").toString(), "-o", result.toString(), "--seed", "7", "--stems", stems.toString()), err.toString());
        Score score = Scores.read(result, ReadOptions.DEFAULT).score();
        List<Path> wavs;
        try (var files = Files.list(stems)) {
            wavs = files.sorted().toList();
        }
        assertEquals(score.tracks().size(), wavs.size(), wavs.toString());
        assertTrue(wavs.contains(stems.resolve("melody.wav")), wavs.toString());
        long frames = -1;
        for (Path wav : wavs) {
            try (var in = javax.sound.sampled.AudioSystem.getAudioInputStream(wav.toFile())) {
                if (frames < 0) frames = in.getFrameLength();
                assertEquals(frames, in.getFrameLength(), wav.toString());
            }
        }
    }

    @Test
    void aModelsFolderIsUsedAndAFolderWithoutModelsIsAClearError(@TempDir Path out) throws Exception {
        String melody = REPO.resolve("examples/ode-to-joy.json").toString();
        assertEquals(0, Merlai.run("complete", "--models", REPO.resolve("models").toString(), melody, "-o", out.resolve("a.mid").toString()));
        assertEquals(Merlai.BAD_INPUT, Merlai.run("complete", "--models", out.toString(), melody, "-o", out.resolve("b.mid").toString()));
        assertTrue(err.toString().contains("no models here"), err.toString());
    }

    @Test
    void everyCompleteExampleInTheReadmeParses() throws Exception {
        Matcher examples = Pattern.compile("^bin/merlai complete (\\S+) -o (\\S+)([^#\\n]*)", Pattern.MULTILINE).matcher(Files.readString(REPO.resolve("README.md")));
        int seen = 0;
        while (examples.find()) {
            List<String> options = List.of(examples.group(3).trim().split("\\s+"));
            Path out = Files.createTempDirectory("readme").resolve("out.mid");
            List<String> args = new java.util.ArrayList<>(List.of("complete", REPO.resolve("examples/ode-to-joy.json").toString(), "-o", out.toString()));
            if (!examples.group(3).isBlank()) args.addAll(options);
            int code = Merlai.run(args.toArray(String[]::new));
            // --bars 5-8 on the 16-bar example regenerates those bars; every option the README names must be accepted.
            assertEquals(0, code, "README example failed: " + examples.group() + "\n" + err);
            seen++;
        }
        assertTrue(seen >= 2, "the README shows complete examples");
    }

    @Test
    void verboseSaysTheFormTheIntroAndTheEnding(@TempDir Path out) throws Exception {
        String melody = REPO.resolve("examples/ode-to-joy.json").toString();
        assertEquals(0, Merlai.run("complete", melody, "-o", out.resolve("a.mid").toString(), "--intro", "2", "-v"));
        String said = err.toString();
        assertTrue(said.contains("form: intro(1-2) A(3-6) A'(7-10) B(11-14) A'(15-18) outro(19-20)"), said);
        assertTrue(said.contains("intro: bars 1-2 (the melody moved 2 bars later)"), said);
        assertTrue(said.contains("ending: bars 19-20, G:maj to C:maj"), said);
        err.reset();
        assertEquals(0, Merlai.run("complete", melody, "-o", out.resolve("b.mid").toString(), "--no-ending", "-v"));
        assertTrue(err.toString().contains("ending: none"), err.toString());
        err.reset();
        assertEquals(Merlai.BAD_INPUT, Merlai.run("complete", melody, "-o", out.resolve("c.mid").toString(), "--variation", "1.5"));
        assertTrue(err.toString().contains("variation must be 0..1"), err.toString());
    }

    @Test
    void humanizeZeroPlaysTheGeneratedPartsOnTheGridAtEvenVelocitiesAndOutOfRangeIsExitCodeTwo(@TempDir Path out) throws Exception {
        String melody = REPO.resolve("examples/ode-to-joy.json").toString();
        assertEquals(0, Merlai.run("complete", melody, "-o", out.resolve("a.json").toString(), "--humanize", "0"), err.toString());
        com.fasterxml.jackson.databind.JsonNode arranged = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("a.json").toFile());
        for (com.fasterxml.jackson.databind.JsonNode track : arranged.path("tracks")) {
            if (!List.of("PIANO", "BASS", "COUNTER").contains(track.path("name").asText())) continue;
            Set<Integer> velocities = new HashSet<>();
            for (com.fasterxml.jackson.databind.JsonNode note : track.path("notes")) {
                velocities.add(note.path("velocity").asInt());
                assertEquals(0, note.path("onset").asLong() % 120, track.path("name").asText() + " on the 16th grid");
            }
            assertEquals(1, velocities.size(), track.path("name").asText() + " at one velocity: " + velocities);
        }
        assertEquals(Merlai.BAD_INPUT, Merlai.run("complete", melody, "-o", out.resolve("b.mid").toString(), "--humanize", "2"));
        assertTrue(err.toString().contains("humanize must be 0..1"), err.toString());
    }

    @Test
    void givenChordsAreKeptAndTheAlternativesWrittenAndABadSpecIsExitCodeTwo(@TempDir Path out) throws Exception {
        String melody = REPO.resolve("examples/ode-to-joy.json").toString();
        Path chords = out.resolve("verse.txt");
        Files.writeString(chords, "# verse\n1-4: F Bb,C\n");
        assertEquals(0, Merlai.run("complete", melody, "-o", out.resolve("a.json").toString(), "--chords-file", chords.toString(),
                "--reharmonize", "9-16", "--alternatives", out.resolve("alt.json").toString()), err.toString());
        com.fasterxml.jackson.databind.JsonNode arranged = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("a.json").toFile());
        assertEquals("F", arranged.at("/chords/0/name").asText());
        assertEquals("Bb", arranged.at("/chords/1/name").asText());
        com.fasterxml.jackson.databind.JsonNode alternatives = new com.fasterxml.jackson.databind.ObjectMapper().readTree(out.resolve("alt.json").toFile());
        assertEquals("9-16", alternatives.at("/1/bars").asText());
        assertEquals(3, alternatives.at("/1/progressions").size());

        assertEquals(2, Merlai.run("complete", melody, "-o", out.resolve("b.mid").toString(), "--chords", "C G Am F"));
        assertTrue(err.toString().contains("merlai: --chords: 'C G Am F' must start with bars and a colon"), err.toString());
        assertEquals(2, Merlai.run("complete", melody, "-o", out.resolve("c.mid").toString(), "--chords", "40: C"));
        assertTrue(err.toString().contains("chords are given for bar 40, but the song's bars are 1-18"), err.toString());
    }

    @Test
    void badInputIsOneLineOnStderrAndExitCodeTwo(@TempDir Path out) throws Exception {
        Path garbage = Files.writeString(out.resolve("song.mid"), "not midi at all");
        assertEquals(2, Merlai.run("complete", garbage.toString(), "-o", out.resolve("x.mid").toString()));
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertTrue(err.toString().startsWith("merlai: "));
        err.reset();
        assertEquals(2, Merlai.run("complete", REPO.resolve("examples/ode-to-joy.json").toString(), "-o", out.resolve("x.mid").toString(), "--style", "jazz"));
        assertTrue(err.toString().contains("unknown style 'jazz'"));
        err.reset();
        assertEquals(2, Merlai.run("complete", out.resolve("missing.mid").toString(), "-o", out.resolve("x.mid").toString()));
        assertTrue(err.toString().contains("no such file"));
        assertFalse(Files.exists(out.resolve("x.mid")));
    }

    @Test
    void tenantCommandsSayInOneLineWhatIsMissing(@TempDir Path data) throws Exception {
        assertEquals(ServeCommand.UNAVAILABLE, Merlai.run("tenants", "create", "acme", "--data", data.toString()));
        assertTrue(err.toString().contains("no admin credential") && err.toString().contains("admin-token"), err.toString());
        err.reset();
        // a port where nothing listens (port 9 is discard, never an HTTP server here)
        assertEquals(ServeCommand.UNAVAILABLE, Merlai.run("tenants", "list", "--url", "http://127.0.0.1:9", "--admin-token", "t"));
        assertTrue(err.toString().startsWith("merlai tenants list: cannot reach http://127.0.0.1:9 (connection refused)"), err.toString());
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
    }

    @Test
    void aWrongOptionPointsAtTheHelpOfTheCommandItBelongsTo() {
        assertEquals(Merlai.BAD_INPUT, Merlai.run("tenants", "create"));
        assertTrue(err.toString().contains("(see 'merlai tenants create --help')"), err.toString());
        err.reset();
        assertEquals(Merlai.BAD_INPUT, Merlai.run("--no-such-option"));
        assertTrue(err.toString().contains("(see 'merlai --help')"), err.toString());
    }

    @Test
    void everyExitCodeACommandGivesIsListedInItsHelp() {
        PrintStream originalOut = System.out;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true));
        try {
            for (String[] command : List.of(new String[]{"--help"}, new String[]{"serve", "--help"}, new String[]{"tenants", "create", "--help"},
                    new String[]{"tenants", "list", "--help"}, new String[]{"reconcile", "--help"})) {
                out.reset();
                assertEquals(0, Merlai.run(command));
                for (int code : new int[]{0, Merlai.BAD_INPUT, ServeCommand.UNAVAILABLE, Merlai.INTERNAL_ERROR}) {
                    assertTrue(Pattern.compile("(?m)^\\s+" + code + "\\s").matcher(out.toString()).find(), String.join(" ", command) + " lists " + code + ":\n" + out);
                }
            }
        } finally {
            System.setOut(originalOut);
        }
    }

    @Test
    void thePickupIsNamedNotNumberedInTheVerboseReport() {
        assertEquals("the pickup", CompleteCommand.barsInWords("0"));
        assertEquals("the pickup and 1-16", CompleteCommand.barsInWords("0-16"));
        assertEquals("the pickup, 20-21, 38", CompleteCommand.barsInWords("0, 20-21, 38"));
        assertEquals("1-16", CompleteCommand.barsInWords("1-16"));
        assertEquals("10, 20", CompleteCommand.barsInWords("10, 20"));
    }

    @Test
    void convertGoesThroughTheOneScoreModel(@TempDir Path out) throws Exception {
        Path json = out.resolve("ode.json");
        Path musicxml = out.resolve("ode.musicxml");
        assertEquals(0, Merlai.run("convert", REPO.resolve("examples/ode-to-joy.json").toString(), "-o", musicxml.toString()));
        assertEquals(0, Merlai.run("convert", musicxml.toString(), "-o", json.toString()));
        Score back = Scores.read(json, ReadOptions.DEFAULT).score();
        assertEquals(Role.MELODY, back.tracks().get(0).role());
        assertEquals(Scores.read(REPO.resolve("examples/ode-to-joy.json"), ReadOptions.DEFAULT).score().melody().orElseThrow().notes(),
                back.melody().orElseThrow().notes());
    }
}
