package dev.merlai.functions.train;

import dev.merlai.storage.ObjectStore;
import dev.merlai.storage.StorageLayout;
import org.jboss.logging.Logger;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Training on this machine (CPU), as {@code merlai serve} runs it: the pieces are copied to a work folder, {@code python3
 * -m merlai_training finetune} runs there as a child process, and on success the model files are uploaded to the
 * model's folder. Cancel stops the process and its children (SIGTERM, then SIGKILL after 5 s).
 */
final class LocalProcessLauncher implements TrainingLauncher {

    private static final Logger LOG = Logger.getLogger(LocalProcessLauncher.class);

    private final ObjectStore store;
    private final String python;
    private final Path trainingDir;
    private final int threads;

    LocalProcessLauncher(ObjectStore store, String python, Path trainingDir, int threads) {
        this.store = store;
        this.python = python;
        this.trainingDir = trainingDir.toAbsolutePath();
        this.threads = threads;
    }

    @Override
    public String name() {
        return "local";
    }

    @Override
    public Run start(TrainingJob job, Consumer<String> lines) throws IOException {
        String modelPrefix = StorageLayout.model(job.tenant(), job.model());
        Path work = Files.createTempDirectory("merlai-train-" + job.model());
        Path pieces = Files.createDirectories(work.resolve("pieces"));
        Path out = work.resolve("model");
        for (String key : store.list(modelPrefix + StorageLayout.PIECES)) {
            byte[] bytes = store.get(key).orElseThrow(() -> new IOException("piece " + key + " vanished"));
            Files.write(pieces.resolve(key.substring(key.lastIndexOf('/') + 1)), bytes);
        }
        List<String> command = new ArrayList<>(List.of(python, "-m", "merlai_training", "finetune", pieces.toString(), "--out", out.toString(),
                "--style", job.style(), "--model-id", job.model(), "--threads", Integer.toString(threads)));
        if (job.quick()) command.add("--quick");
        ProcessBuilder builder = new ProcessBuilder(command).directory(trainingDir.toFile())
                .redirectError(ProcessBuilder.Redirect.appendTo(work.resolve("train.log").toFile()));
        // Debian's pthread OpenBLAS spins its own threads against torch's: one each is faster on a shared machine.
        builder.environment().put("OPENBLAS_NUM_THREADS", "1");
        builder.environment().put("OMP_NUM_THREADS", "1");
        Process process = builder.start();
        LOG.infof("training %s/%s: pid %d, work folder %s", job.tenant(), job.model(), process.pid(), work);
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) lines.accept(line);
            } catch (IOException e) {
                LOG.debugf("training %s: output closed (%s)", job.model(), e.getMessage());
            }
        }, "train-" + job.model());
        reader.setDaemon(true);
        reader.start();
        return new Run() {
            @Override
            public int awaitExit() throws InterruptedException {
                try {
                    int code = process.waitFor();
                    reader.join();
                    if (code == 0) upload(out, modelPrefix);
                    return code;
                } finally {
                    delete(work);
                }
            }

            @Override
            public void cancel() {
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroy();
                try {
                    if (!process.waitFor(5, TimeUnit.SECONDS)) {
                        process.descendants().forEach(ProcessHandle::destroyForcibly);
                        process.destroyForcibly().waitFor();
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    private void upload(Path out, String modelPrefix) {
        for (String file : StorageLayout.MODEL_FILES) {
            Path path = out.resolve(file);
            try {
                store.put(modelPrefix + file, Files.readAllBytes(path), file.endsWith(".md") ? "text/markdown"
                        : file.endsWith(".json") ? "application/json" : "application/octet-stream");
            } catch (IOException e) {
                throw new UncheckedIOException("training finished without " + file, e);
            }
        }
    }

    private static void delete(Path folder) {
        try (Stream<Path> paths = Files.walk(folder)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.warnf("cannot remove %s: %s", folder, e.getMessage());
        }
    }
}
