package dev.merlai.cli;

import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.ScoreFormat;
import dev.merlai.music.io.Scores;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The benchmarks' input: POP909 validation songs (training/split) reduced to their melody. */
final class ValidationMelodies {

    private ValidationMelodies() {
    }

    /**
     * Writes the first COUNT melodies of a validation list as MIDI files ({@code <id>.mid}) into a folder: the input of
     * {@code benchmarks/batch.sh}. Arguments: DATA_DIR VALIDATION_LIST COUNT OUT_DIR.
     */
    public static void main(String[] args) throws Exception {
        Path data = Path.of(args[0]);
        List<String> ids = Files.readAllLines(Path.of(args[1])).stream().map(String::trim).filter(id -> !id.isEmpty()).toList();
        int count = Integer.parseInt(args[2]);
        Path out = Files.createDirectories(Path.of(args[3]));
        List<Score> melodies = load(data, Path.of(args[1]), count);
        for (int i = 0; i < melodies.size(); i++) Files.write(out.resolve(ids.get(i) + ".mid"), Scores.write(melodies.get(i), ScoreFormat.MIDI));
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
