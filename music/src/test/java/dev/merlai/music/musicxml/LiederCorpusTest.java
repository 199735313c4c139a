package dev.merlai.music.musicxml;

import dev.merlai.music.Score;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.ScoreReadException;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Reads every score of the OpenScore Lieder corpus. The data folder is the system property
 * {@code merlai.data}, else {@code ${merlai.repo.root}/../shared/data} (surefire sets {@code merlai.repo.root});
 * the test is skipped when the corpus is not there.
 */
@DisplayName("The OpenScore Lieder corpus")
class LiederCorpusTest {

    @Test
    @DisplayName("at least 99% of the scores load, each with a melody")
    void readsTheCorpus() throws IOException {
        Path scores = dataFolder().resolve("openscore-lieder").resolve("scores");
        assumeTrue(Files.isDirectory(scores), "no Lieder corpus at " + scores);
        List<Path> files;
        try (Stream<Path> listing = Files.list(scores)) {
            files = listing.filter(p -> p.getFileName().toString().endsWith(".mxl")).sorted().toList();
        }
        assumeTrue(!files.isEmpty(), "no .mxl files in " + scores);

        MusicXmlReader reader = new MusicXmlReader();
        List<String> failures = new ArrayList<>();
        int ok = 0;
        int withoutMelody = 0;
        long started = System.nanoTime();
        for (Path file : files) {
            try {
                Score score = reader.read(Files.readAllBytes(file), ReadOptions.DEFAULT).score();
                if (score.melody().map(t -> t.notes().isEmpty()).orElse(true)) withoutMelody++;
                ok++;
            } catch (ScoreReadException e) {
                failures.add(file.getFileName() + ": " + e.kind() + " " + e.getMessage());
            }
        }
        System.out.printf("Lieder read: %d ok, %d failed (%d without a melody with notes) in %.1f s%n",
                ok, failures.size(), withoutMelody, (System.nanoTime() - started) / 1e9);
        failures.forEach(f -> System.out.println("  " + f));
        assertTrue(ok >= 0.99 * files.size(), "only " + ok + " of " + files.size() + " scores load: " + failures);
        assertTrue(withoutMelody <= 0.01 * files.size(), withoutMelody + " scores have no melody notes");
    }

    static Path dataFolder() {
        String data = System.getProperty("merlai.data");
        if (data != null && !data.isBlank()) return Path.of(data);
        String root = System.getProperty("merlai.repo.root", ".");
        return Path.of(root).resolve("..").resolve("shared").resolve("data").normalize();
    }
}
