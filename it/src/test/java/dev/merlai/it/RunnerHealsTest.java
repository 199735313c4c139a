package dev.merlai.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merlai.local.LocalMerlai;
import dev.merlai.storage.JobRecord;
import dev.merlai.storage.JobState;
import dev.merlai.storage.ObjectStore;
import dev.merlai.storage.StorageLayout;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code merlai serve} heals, with the real processes: a function killed with SIGKILL while uploads flow is started
 * again, and every upload still ends {@code done}, with no dead letter and each job billed once; an upload named with
 * emoji and CJK is processed like any other.
 */
class RunnerHealsTest {

    private static final Duration PATIENCE = Duration.ofMinutes(5);

    @TempDir
    static Path data;
    private static LocalMerlai merlai;
    private static ObjectStore store;
    private static byte[] melody;

    @BeforeAll
    static void startMerlai() throws Exception {
        merlai = LocalRun.start(data);
        store = LocalRun.store(merlai);
        melody = Files.readAllBytes(LocalRun.repo().resolve("examples/ode-to-joy.json"));
        LocalRun.createTenant(merlai, "heal");
        LocalRun.createTenant(merlai, "unicode");
    }

    @AfterAll
    static void stopMerlai() {
        if (store != null) store.close();
        if (merlai != null) merlai.close();
    }

    /** The tenant's jobs by input key, once every one of {@code inputs} has a job in a final state. */
    private static Map<String, JobRecord> finalJobs(String tenant, List<String> inputs) throws InterruptedException {
        long deadline = System.nanoTime() + PATIENCE.toNanos();
        Map<String, JobRecord> finished = new TreeMap<>();
        while (System.nanoTime() < deadline) {
            finished.clear();
            for (String key : store.list("tenants/" + tenant + "/results/")) {
                if (!key.endsWith("/" + StorageLayout.JOB)) continue;
                Optional<JobRecord> job = store.get(key).map(JobRecord::fromJson)
                        .filter(j -> j.state() == JobState.DONE || j.state() == JobState.FAILED);
                job.ifPresent(j -> finished.put(j.input(), j));
            }
            if (finished.keySet().containsAll(inputs)) return finished;
            Thread.sleep(500);
        }
        throw new AssertionError("not every upload finished within " + PATIENCE + "; finished: " + finished.keySet());
    }

    @Test
    void aFunctionKilledWhileUploadsFlowIsRestartedAndEveryUploadEndsDoneBilledOnce() throws Exception {
        List<String> inputs = new ArrayList<>();
        for (int i = 1; i <= 4; i++) {
            String key = "tenants/heal/inbox/song-" + i + ".json";
            inputs.add(key);
            store.put(key, melody, "application/json");
            if (i == 2) {
                Thread.sleep(500); // the watcher hands the first uploads on: complete is at work when it is killed
                long pid = merlai.pid(LocalMerlai.COMPLETE);
                assertTrue(ProcessHandle.of(pid).orElseThrow().destroyForcibly(), "kill -9 " + pid);
            }
        }

        Map<String, JobRecord> jobs = finalJobs("heal", inputs);

        for (JobRecord job : jobs.values()) assertEquals(JobState.DONE, job.state(), job.input() + ": " + job.error());
        assertEquals(1, merlai.restarts(LocalMerlai.COMPLETE), "complete was started again");
        assertTrue(Files.readString(data.resolve("logs/health.log")).contains("health: complete restarted"), "a health line says so");
        try (var letters = Files.list(merlai.router().deadLetters())) {
            assertEquals(List.of(), letters.toList(), "no dead letters");
        }
        for (JobRecord job : jobs.values()) {
            List<String> records = store.list("system/usage/heal/" + job.job() + "/").stream().filter(k -> k.endsWith(".json")).sorted().toList();
            assertEquals(List.of("system/usage/heal/" + job.job() + "/audio-seconds.json", "system/usage/heal/" + job.job() + "/bars.json"), records,
                    "billed once for bars and once for audio");
        }
    }

    @Test
    void anUploadNamedWithEmojiAndCjkIsProcessedLikeAnyOther() throws Exception {
        String key = "tenants/unicode/inbox/\u2713 \uD83C\uDFB5 \u591C\u66F2.json";
        store.put(key, melody, "application/json");

        JobRecord job = finalJobs("unicode", List.of(key)).get(key);

        assertEquals(JobState.DONE, job.state(), job.error());
        assertTrue(job.files().contains("preview.wav"), job.files().toString());
        assertEquals(key, new ObjectMapper().readTree(store.get(StorageLayout.result("unicode", job.job(), StorageLayout.JOB)).orElseThrow()).get("input").asText());
    }
}
