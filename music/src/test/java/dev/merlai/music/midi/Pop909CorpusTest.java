package dev.merlai.music.midi;

import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.ReadResult;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Every POP909 song loads, with its melody found by its track name. The data lives outside the repository:
 * system property {@code merlai.data}, else {@code ${merlai.repo.root}/../shared/data} (surefire sets
 * {@code merlai.repo.root}), else {@code shared/data} next to a parent of the working directory. Skipped when
 * none of those has a {@code pop909} folder.
 */
class Pop909CorpusTest {

    /** Also writes every song back with {@link MidiWriter} and reads it again: the score must not change. */
    @Test
    void everyPop909SongLoadsWithItsMelodyFoundByName() throws IOException {
        Path pop909 = dataDir().map(d -> d.resolve("pop909")).filter(Files::isDirectory).orElse(null);
        assumeTrue(pop909 != null, "POP909 data not found (set -Dmerlai.data=<dir holding pop909/>)");
        List<Path> files;
        try (Stream<Path> songs = Files.list(pop909)) {
            files = songs.filter(Files::isDirectory)
                    .map(song -> song.resolve(song.getFileName() + ".mid"))
                    .filter(Files::isRegularFile).sorted().toList();
        }
        MidiReader reader = new MidiReader();
        MidiWriter writer = new MidiWriter();
        List<String> failures = new ArrayList<>();
        int ok = 0;
        int roundTrips = 0;
        for (Path file : files) {
            try {
                ReadResult result = reader.read(Files.readAllBytes(file), ReadOptions.DEFAULT);
                Score score = result.score();
                boolean melodyByName = result.melodyChoice().endsWith("\"MELODY\" (named like a melody)")
                        && score.melody().map(t -> t.name().equals("MELODY") && !t.notes().isEmpty()).orElse(false);
                if (melodyByName && score.tracks(Role.MELODY).size() == 1) ok++;
                else failures.add(file.getFileName() + ": melody choice '" + result.melodyChoice() + "'");
                if (reader.read(writer.write(score), ReadOptions.DEFAULT).score().equals(score)) roundTrips++;
                else failures.add(file.getFileName() + ": written and read back, the score differs");
            } catch (Exception e) {
                failures.add(file.getFileName() + ": " + e);
            }
        }
        System.out.println("POP909 read: " + ok + " ok, " + (files.size() - ok) + " failed; "
                + roundTrips + " of " + files.size() + " unchanged after write and read");
        failures.forEach(f -> System.out.println("  " + f));
        assertTrue(!files.isEmpty(), "no NNN/NNN.mid files in " + pop909);
        assertEquals(List.of(), failures);
    }

    private static java.util.Optional<Path> dataDir() {
        String explicit = System.getProperty("merlai.data");
        if (explicit != null && !explicit.isBlank()) return java.util.Optional.of(Paths.get(explicit));
        String root = System.getProperty("merlai.repo.root");
        if (root != null && !root.isBlank()) {
            Path beside = Paths.get(root).toAbsolutePath().getParent();
            if (beside != null && Files.isDirectory(beside.resolve("shared/data"))) return java.util.Optional.of(beside.resolve("shared/data"));
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isDirectory(dir.resolve("shared/data"))) return java.util.Optional.of(dir.resolve("shared/data"));
        }
        return java.util.Optional.empty();
    }
}
