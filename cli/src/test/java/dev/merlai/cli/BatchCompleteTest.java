package dev.merlai.cli;

import dev.merlai.music.MeterMap;
import dev.merlai.music.Score;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.ScoreFormat;
import dev.merlai.music.io.Scores;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code merlai complete A B C -o DIR}: many melodies in one run, each as if completed alone, a bad one not stopping the rest. */
class BatchCompleteTest {

    private static final Path REPO = Path.of(System.getProperty("merlai.repo.root", "..")).toAbsolutePath();
    private static final Path ODE = REPO.resolve("examples/ode-to-joy.json");
    private static final Path LIED = REPO.resolve("examples/lieder/lc5729860.mxl");
    @RegisterExtension
    final CapturedStderr err = new CapturedStderr();

    @Test
    void aBadFileAmongGoodOnesIsNamedAndTheOthersAreStillCompleted(@TempDir Path tmp) throws Exception {
        Path garbage = Files.writeString(tmp.resolve("broken.mid"), "not midi at all");
        Path out = tmp.resolve("out");

        int exit = Merlai.run("complete", ODE.toString(), garbage.toString(), LIED.toString(), "-o", out.toString(), "--seed", "7");

        assertEquals(Merlai.BAD_INPUT, exit, err.toString());
        List<String> lines = err.toString().strip().lines().toList();
        assertEquals(2, lines.size(), err.toString());
        assertTrue(lines.get(0).startsWith("merlai: " + garbage + ": "), lines.get(0));
        assertEquals("merlai: 1 of 3 melodies failed; the others are in " + out, lines.get(1));
        assertTrue(Files.exists(out.resolve("ode-to-joy.mid")));
        assertTrue(Files.exists(out.resolve("lc5729860.mid")));
        assertFalse(Files.exists(out.resolve("broken.mid")));
    }

    @Test
    void aSongWhoseResultCannotBeWrittenIsNamedAndTheOthersAreStillWritten(@TempDir Path tmp) throws Exception {
        Path out = tmp.resolve("out");
        Files.createDirectories(out.resolve("lc5729860.mid")); // a folder where the lied's MIDI would go

        int exit = Merlai.run("complete", ODE.toString(), LIED.toString(), "-o", out.toString(), "--seed", "7", "--songs-at-once", "2");

        assertEquals(Merlai.INTERNAL_ERROR, exit, err.toString());
        List<String> lines = err.toString().strip().lines().toList();
        assertEquals(2, lines.size(), err.toString());
        assertTrue(lines.get(0).startsWith("merlai: " + LIED + ": internal error: "), lines.get(0));
        assertEquals("merlai: 1 of 2 melodies failed; the others are in " + out, lines.get(1));
        assertTrue(Files.isRegularFile(out.resolve("ode-to-joy.mid")));
    }

    @Test
    void eachSongOfABatchIsWhatItsOwnCompletionWrites(@TempDir Path tmp) throws Exception {
        List<Path> songs = new ArrayList<>(List.of(ODE, LIED, REPO.resolve("examples/lieder/lc5978033.mxl"), REPO.resolve("examples/lieder/lc6488630.mxl")));
        Score ode = Scores.read(ODE, ReadOptions.DEFAULT).score();
        for (int[] meter : new int[][]{{3, 4}, {6, 8}}) {
            Path song = tmp.resolve("ode-in-" + meter[0] + "-" + meter[1] + ".json");
            Files.write(song, Scores.write(ode.withMeter(MeterMap.of(meter[0], meter[1])), ScoreFormat.JSON));
            songs.add(song);
        }
        Path out = tmp.resolve("out");
        List<String> batch = new ArrayList<>(List.of("complete"));
        batch.addAll(songs.stream().map(Path::toString).toList());
        batch.addAll(List.of("-o", out.toString(), "--seed", "7", "--songs-at-once", "4", "-v"));
        assertEquals(0, Merlai.run(batch.toArray(String[]::new)), err.toString());
        assertTrue(err.toString().matches("(?s).*batch: 4 songs at once; \\d+ drum and dynamics model calls answered in \\d+ batched calls.*"), err.toString());

        for (Path song : songs) {
            Path alone = tmp.resolve("alone-" + CompleteCommand.songName(song) + ".mid");
            assertEquals(0, Merlai.run("complete", song.toString(), "-o", alone.toString(), "--seed", "7"), err.toString());
            assertArrayEquals(Files.readAllBytes(alone), Files.readAllBytes(out.resolve(CompleteCommand.songName(song) + ".mid")), song.toString());
        }
        assertTrue(Scores.read(out.resolve("ode-to-joy.mid"), ReadOptions.DEFAULT).score().melody().isPresent());
    }

    @Test
    void twoMelodiesOfTheSameNameAreRefusedRatherThanOneOverwritten(@TempDir Path tmp) throws Exception {
        Path copy = Files.createDirectories(tmp.resolve("copy")).resolve("ode-to-joy.json");
        Files.copy(ODE, copy);
        Path out = tmp.resolve("out");

        assertEquals(Merlai.BAD_INPUT, Merlai.run("complete", ODE.toString(), copy.toString(), "-o", out.toString()));
        assertTrue(err.toString().contains(copy + ": another melody of this batch is also named ode-to-joy"), err.toString());
        assertTrue(Files.exists(out.resolve("ode-to-joy.mid")));
    }

    @Test
    void optionsThatWriteOneFileTakeOneMelody(@TempDir Path tmp) throws Exception {
        assertEquals(Merlai.BAD_INPUT, Merlai.run("complete", ODE.toString(), LIED.toString(), "-o", tmp.resolve("out").toString(),
                "--alternatives", tmp.resolve("alt.json").toString()));
        assertTrue(err.toString().contains("--alternatives and --stems take one melody at a time"), err.toString());
    }
}
