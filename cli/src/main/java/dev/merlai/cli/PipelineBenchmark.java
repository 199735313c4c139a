package dev.merlai.cli;

import dev.merlai.local.LocalMerlai;
import dev.merlai.local.LocalSettings;
import dev.merlai.music.Score;
import dev.merlai.music.io.ScoreFormat;
import dev.merlai.music.io.Scores;
import dev.merlai.storage.JobRecord;
import dev.merlai.storage.JobState;
import dev.merlai.storage.ObjectStore;
import dev.merlai.storage.S3Settings;
import dev.merlai.storage.StorageLayout;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Upload-to-results latency of the whole pipeline on one machine (as {@code merlai serve} runs it): melodies
 * put one at a time into the inbox, timed until their job is done (MIDI, WAV and PNG written); and the latency
 * of a cached repeat over HTTP. Prints median, p95 and the machine. Run by {@code benchmarks/pipeline.sh}.
 */
public final class PipelineBenchmark {

    private PipelineBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path home = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath();
        Path data = Path.of(args.length > 1 ? args[1] : "../shared/data");
        int uploads = args.length > 2 ? Integer.parseInt(args[2]) : 50;
        List<byte[]> melodies = new ArrayList<>();
        for (Score melody : ValidationMelodies.load(data, home.resolve("training/split/pop909-validation.txt"), uploads)) {
            melodies.add(Scores.write(melody, ScoreFormat.MIDI));
        }

        Path work = Files.createTempDirectory("merlai-bench");
        try (LocalMerlai merlai = LocalMerlai.start(LocalSettings.ephemeral(home, work));
             ObjectStore store = new ObjectStore(new S3Settings(merlai.s3Endpoint(), "us-east-1", merlai.settings().accessKey(),
                     merlai.settings().secretKey(), merlai.bucket()))) {
            System.out.printf("machine: %d cores, Java %s; pipeline: S3Proxy, Redis, complete, recommend-plugin, render-midi, router, watcher%n",
                    Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
            HttpClient http = HttpClient.newHttpClient();
            String apiKey = createTenant(merlai);
            double[] millis = new double[melodies.size()];
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < melodies.size(); i++) {
                String key = "tenants/bench/inbox/song-" + i + ".mid";
                long started = System.nanoTime();
                store.put(key, melodies.get(i), "audio/midi");
                awaitDone(store, key, seen);
                millis[i] = (System.nanoTime() - started) / 1e6;
            }
            Arrays.sort(millis);
            System.out.printf("upload to results (MIDI, WAV, PNG written; inbox polled every %d ms): median %.0f ms, p95 %.0f ms, min %.0f, max %.0f over %d uploads%n",
                    merlai.settings().pollMillis(), millis[millis.length / 2], millis[(int) Math.ceil(millis.length * 0.95) - 1], millis[0], millis[millis.length - 1], millis.length);

            String body = "{\"seed\":5,\"score\":" + Files.readString(home.resolve("examples/ode-to-joy.json")) + "}";
            URI api = merlai.functionUrl(LocalMerlai.COMPLETE).resolve("/v1/completions");
            post(http, api, apiKey, body); // fills the cache
            double[] cached = new double[20];
            for (int i = 0; i < cached.length; i++) {
                long started = System.nanoTime();
                post(http, api, apiKey, body);
                cached[i] = (System.nanoTime() - started) / 1e6;
            }
            Arrays.sort(cached);
            System.out.printf("cached repeat over HTTP (POST /v1/completions, new job, arrangement from Redis, JSON+MIDI+job.json written): median %.1f ms, p95 %.1f ms over %d%n",
                    cached[cached.length / 2], cached[(int) Math.ceil(cached.length * 0.95) - 1], cached.length);
        }
    }

    /** The tenant the uploads land in, made through the admin API as {@code merlai tenants create} does; returns its API key. */
    private static String createTenant(LocalMerlai merlai) throws Exception {
        AdminConnection admin = new AdminConnection();
        admin.url = merlai.httpUrl();
        admin.adminToken = merlai.adminToken();
        AdminConnection.Answer answer = admin.send("POST", "/admin/tenants", "{\"tenant\":\"bench\",\"plan\":\"pro\"}");
        if (answer.status() != 201) throw new IllegalStateException("the tenant bench could not be created: " + answer.problem());
        return answer.body().path("apiKey").asText();
    }

    private static void post(HttpClient http, URI api, String apiKey, String body) throws Exception {
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(api).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + apiKey)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) throw new IllegalStateException("completion failed: " + response.body());
    }

    private static void awaitDone(ObjectStore store, String inputKey, Set<String> seen) throws InterruptedException {
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (String key : store.list("tenants/bench/results/")) {
                if (!key.endsWith("/" + StorageLayout.JOB) || seen.contains(key)) continue;
                JobRecord job = store.get(key).map(JobRecord::fromJson).orElse(null);
                if (job == null || !job.input().equals(inputKey)) continue;
                if (job.state() == JobState.DONE) {
                    seen.add(key);
                    return;
                }
                if (job.state() == JobState.FAILED) throw new IllegalStateException(inputKey + " failed: " + job.error());
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException(inputKey + " did not finish in 120 s");
    }
}
