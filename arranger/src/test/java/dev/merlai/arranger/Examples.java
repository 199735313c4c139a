package dev.merlai.arranger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merlai.arranger.model.ArrangementModels;
import dev.merlai.music.Score;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.json.JsonScoreReader;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The inputs the arranger's tests share: the repository's examples and the shared data. */
public final class Examples {

    private static ArrangementModels shipped;
    private static Arranger arranger;

    private Examples() {
    }

    /** The shipped models, loaded once for every test class of the run that asks (left to the JVM's exit to free). */
    public static synchronized ArrangementModels shippedModels() throws Exception {
        if (shipped == null) shipped = ArrangementModels.loadShipped(2);
        return shipped;
    }

    /** An arranger on the shipped models, built once for every test class of the run that asks (it is thread-safe). */
    public static synchronized Arranger shippedArranger() throws Exception {
        if (arranger == null) arranger = new Arranger(shippedModels());
        return arranger;
    }

    /** {@code examples/ode-to-joy.json}: 16 bars of 4/4 in C major, melody only. */
    public static Score odeToJoy() throws Exception {
        return new JsonScoreReader().read(Files.readAllBytes(repoRoot().resolve("examples/ode-to-joy.json")), ReadOptions.DEFAULT).score();
    }

    /** A golden fixture that training checks too ({@code testdata/golden/<name>}, written by {@code training/tests/test_golden.py}). */
    public static JsonNode golden(String name) throws IOException {
        return new ObjectMapper().readTree(Files.readAllBytes(repoRoot().resolve("testdata/golden").resolve(name)));
    }

    /** A JSON array of integers. */
    public static int[] ints(JsonNode array) {
        int[] values = new int[array.size()];
        for (int i = 0; i < values.length; i++) values[i] = array.get(i).asInt();
        return values;
    }

    public static Path repoRoot() {
        return Path.of(System.getProperty("merlai.repo.root", ".."));
    }

    /** The shared data: {@code -Dmerlai.data}, else {@code ../shared/data} beside the repository. */
    public static Path dataDir() {
        String explicit = System.getProperty("merlai.data");
        if (explicit != null && !explicit.isBlank()) return Path.of(explicit);
        return repoRoot().toAbsolutePath().getParent().resolve("shared/data");
    }
}
