package dev.merlai.cli;

import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.Scores;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The benchmarks' input: POP909 validation songs (training/split) reduced to their melody. */
final class ValidationMelodies {

    private ValidationMelodies() {
    }

    /** At most {@code count} melodies, in the order of the validation list. */
    static List<Score> load(Path data, Path validation, int count) throws Exception {
        List<Score> melodies = new ArrayList<>();
        for (String id : Files.readAllLines(validation)) {
            if (id.isBlank() || melodies.size() == count) continue;
            Score score = Scores.read(data.resolve("pop909").resolve(id.trim()).resolve(id.trim() + ".mid"), ReadOptions.DEFAULT).score();
            melodies.add(score.withTracks(score.tracks().stream().filter(t -> t.role() == Role.MELODY).toList()));
        }
        if (melodies.isEmpty()) throw new IllegalStateException("no validation songs in " + validation);
        return melodies;
    }
}
