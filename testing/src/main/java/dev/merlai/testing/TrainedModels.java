package dev.merlai.testing;

import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.Scores;
import dev.merlai.music.json.ScoreJson;
import dev.merlai.storage.ObjectStore;
import dev.merlai.storage.StorageLayout;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A personal model really fine-tuned by the training code, as train-trigger makes one: quick settings, on four Lieder
 * read through the music module, model id {@code m-lieder}. Trained once per test run, then stored under any tenant.
 */
public final class TrainedModels {

    private static Path lieder;

    private TrainedModels() {
    }

    private static Path repo() {
        return Path.of(System.getProperty("merlai.repo.root", "../..")).toAbsolutePath();
    }

    /** The model's folder: `python3 -m merlai_training finetune --quick` on four Lieder converted to Merlai JSON. */
    public static synchronized Path lieder() throws Exception {
        if (lieder != null) return lieder;
        Path work = Files.createTempDirectory("merlai-personal-test");
        Path pieces = Files.createDirectories(work.resolve("pieces"));
        for (String file : List.of("lc5729860.mxl", "lc5978033.mxl", "lc6488630.mxl", "lc8718660.mxl")) {
            byte[] mxl = Files.readAllBytes(repo().resolve("music/src/test/resources/musicxml/" + file));
            Files.write(pieces.resolve(file.replace(".mxl", ".json")), ScoreJson.write(Scores.read(mxl, file, ReadOptions.DEFAULT).score()));
        }
        Path log = work.resolve("finetune.log");
        Process process = new ProcessBuilder("/usr/bin/python3", "-m", "merlai_training", "finetune", pieces.toString(), "--out",
                work.resolve("model").toString(), "--style", "lied", "--quick", "--threads", "1", "--model-id", "m-lieder")
                .directory(repo().resolve("training").toFile()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
            process.destroyForcibly();
            throw new IllegalStateException("the fine-tuning failed:\n" + Files.readString(log));
        }
        lieder = work.resolve("model");
        return lieder;
    }

    /** Stores the model's files as {@code tenants/<tenant>/models/<model>/}, where a finished training leaves them. */
    public static void store(ObjectStore store, String tenant, String model) throws Exception {
        for (String file : StorageLayout.MODEL_FILES) {
            store.put(StorageLayout.model(tenant, model) + file, Files.readAllBytes(lieder().resolve(file)), "application/octet-stream");
        }
    }
}
