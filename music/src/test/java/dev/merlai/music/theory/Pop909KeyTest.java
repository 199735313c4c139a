package dev.merlai.music.theory;

import dev.merlai.music.KeySignature;
import dev.merlai.music.PitchClass;
import dev.merlai.music.Score;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.midi.MidiReader;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The key Merlai decides for a POP909 song ({@link KeyFinder#decide}) is the annotated one ({@code key_audio.txt}:
 * the key that holds longest) on at least 85% of the validation songs ({@code training/split/pop909-validation.txt}),
 * from the whole song and from its melody alone (as the product gets it), on each part of the split (tune, held),
 * and song 771, whose file says C major, is found in D-flat major. Needs the shared data
 * ({@code -Dmerlai.data=/work/shared/data}, or {@code ../shared/data} beside the repository).
 */
class Pop909KeyTest {

    @Test
    void theKeyFoundAgreesWithTheAnnotatedKeyOnTheValidationSongs() throws Exception {
        assertAgreement("pop909-validation.txt", false);
    }

    @Test
    void theKeyFoundFromTheMelodyAloneAgreesOnBothPartsOfTheValidationSplit() throws Exception {
        assertAgreement("pop909-validation-tune.txt", true);
        assertAgreement("pop909-validation-held.txt", true);
    }

    @Test
    void song771sMelodyAloneIsInDFlatMajorThoughItsFileSaysCMajor() throws Exception {
        KeyFinder.Decision decision = KeyFinder.decide(melodyOnly(read(dataDir().resolve("pop909"), "771")));
        assertEquals("Db:maj", decision.key().label());
        assertTrue(decision.explanation().contains("the file's C:maj"), decision.explanation());
    }

    private static void assertAgreement(String splitFile, boolean melodyOnly) throws Exception {
        Path pop909 = dataDir().resolve("pop909");
        Path split = repoRoot().resolve("training/split").resolve(splitFile);
        List<String> songs = Files.readAllLines(split).stream().map(String::trim).filter(s -> !s.isEmpty()).toList();
        int agree = 0;
        for (String song : songs) {
            Score score = read(pop909, song);
            KeySignature found = KeyFinder.decide(melodyOnly ? melodyOnly(score) : score).key();
            KeySignature annotated = annotated(pop909.resolve(song).resolve("key_audio.txt"));
            if (found.tonic() == annotated.tonic() && found.mode() == annotated.mode()) agree++;
            else System.out.println(song + ": annotated " + annotated.label() + ", found " + found.label());
        }
        double share = agree / (double) songs.size();
        System.out.printf("POP909 %s keys%s: %d of %d agree (%.3f)%n", splitFile, melodyOnly ? " (melody alone)" : "", agree, songs.size(), share);
        assertTrue(share >= 0.85, splitFile + " key agreement " + share);
    }

    /** What the product gets from the eval harness: the file's conductor (its keys) and its melody. */
    private static Score melodyOnly(Score score) {
        return new Score(score.tempo(), score.meter(), score.keys(), score.chords(), List.of(score.melody().orElseThrow()));
    }

    @Test
    void song771IsInDFlatMajorThoughItsFileSaysCMajor() throws Exception {
        Score score = read(dataDir().resolve("pop909"), "771");
        assertEquals("C:maj", score.keys().get(0).label());
        KeyFinder.Decision decision = KeyFinder.decide(score);
        assertEquals(new KeySignature(0, PitchClass.parse("Db"), KeySignature.Mode.MAJOR), decision.key());
        assertTrue(decision.explanation().contains("the file's C:maj"), decision.explanation());
    }

    private static Score read(Path pop909, String song) throws Exception {
        return new MidiReader().read(Files.readAllBytes(pop909.resolve(song).resolve(song + ".mid")), ReadOptions.DEFAULT).score();
    }

    /** The key that holds longest in a {@code key_audio.txt} (start, end in seconds, key). */
    private static KeySignature annotated(Path file) throws Exception {
        Map<String, Double> seconds = new HashMap<>();
        for (String line : Files.readAllLines(file)) {
            String[] fields = line.trim().split("\\s+");
            if (fields.length == 3) seconds.merge(fields[2], Double.parseDouble(fields[1]) - Double.parseDouble(fields[0]), Double::sum);
        }
        return KeySignature.parse(0, seconds.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey());
    }

    private static Path repoRoot() {
        String root = System.getProperty("merlai.repo.root");
        return root != null && !root.isBlank() ? Paths.get(root) : Paths.get("").toAbsolutePath().getParent();
    }

    private static Path dataDir() {
        String explicit = System.getProperty("merlai.data");
        if (explicit != null && !explicit.isBlank()) return Paths.get(explicit);
        return repoRoot().toAbsolutePath().getParent().resolve("shared/data");
    }
}
