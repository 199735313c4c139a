package dev.merlai.cli;

import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.ScoreFormat;
import dev.merlai.music.io.Scores;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The benchmarks' input: POP909 validation songs (training/split) reduced to their melody. */
final class ValidationMelodies {

    private ValidationMelodies() {
    }

    /**
     * Writes the first COUNT melodies of a validation list as MIDI files ({@code <id>.mid}) into a folder: the input of
     * {@code benchmarks/batch.sh}. Arguments: DATA_DIR VALIDATION_LIST COUNT OUT_DIR.
     */
    public static void main(String[] args) throws Exception {
        Path out = Files.createDirectories(Path.of(args[3]));
        for (Map.Entry<String, Score> melody : byId(Path.of(args[0]), Path.of(args[1]), Integer.parseInt(args[2])).entrySet()) {
            Files.write(out.resolve(melody.getKey() + ".mid"), Scores.write(melody.getValue(), ScoreFormat.MIDI));
        }
    }

    /** At most {@code count} melodies, in the order of the validation list. */
    static List<Score> load(Path data, Path validation, int count) throws Exception {
        return List.copyOf(byId(data, validation, count).values());
    }

    /** At most {@code count} melodies by song id, in the order of the validation list. */
    private static Map<String, Score> byId(Path data, Path validation, int count) throws Exception {
        Map<String, Score> melodies = new LinkedHashMap<>();
        for (String id : Files.readAllLines(validation).stream().map(String::trim).filter(id -> !id.isEmpty()).limit(count).toList()) {
            Score score = Scores.read(data.resolve("pop909").resolve(id).resolve(id + ".mid"), ReadOptions.DEFAULT).score();
            melodies.put(id, score.withTracks(score.tracks().stream().filter(t -> t.role() == Role.MELODY).toList()));
        }
        if (melodies.isEmpty()) throw new IllegalStateException("no validation songs in " + validation);
        return melodies;
    }
}
