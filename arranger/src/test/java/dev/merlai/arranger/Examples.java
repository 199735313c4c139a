package dev.merlai.arranger;

import dev.merlai.arranger.model.ArrangementModels;
import dev.merlai.music.Score;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.json.JsonScoreReader;

import java.nio.file.Files;
import java.nio.file.Path;

/** The repository's example melodies, as the tests read them. */
final class Examples {

    private static ArrangementModels shipped;

    private Examples() {
    }

    /** The shipped models, loaded once for every test class of the run that asks (left to the JVM's exit to free). */
    static synchronized ArrangementModels shippedModels() throws Exception {
        if (shipped == null) shipped = ArrangementModels.loadShipped(2);
        return shipped;
    }

    /** {@code examples/ode-to-joy.json}: 16 bars of 4/4 melody, no pickup, no chord labels. */
    static Score odeToJoy() throws Exception {
        Path example = Path.of(System.getProperty("merlai.repo.root", "..")).resolve("examples/ode-to-joy.json");
        return new JsonScoreReader().read(Files.readAllBytes(example), ReadOptions.DEFAULT).score();
    }
}
