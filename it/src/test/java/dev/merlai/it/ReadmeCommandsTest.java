package dev.merlai.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merlai.embedded.ChildProcess;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.io.ReadOptions;
import dev.merlai.music.io.Scores;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every shell block of the README, run as written and in order, as a new user would in a fresh folder: against a
 * {@code bin/merlai serve} this test starts on free ports with a data folder of its own (the README's ports may be taken
 * here), so the README's {@code 127.0.0.1:<default port>} addresses are read as the ports it got. A block whose first
 * line is {@code # not run by the README test: <why>} is skipped; which ones those are is checked below. Each block runs
 * under {@code set -e}, and curl fails on an HTTP error (a {@code .curlrc} with {@code --fail-with-body}), so every
 * command must exit 0; then the files and answers the README promises are checked.
 */
class ReadmeCommandsTest {

    private static final Path REPO = Path.of(System.getProperty("merlai.repo.root", "..")).toAbsolutePath().normalize();
    private static final String SKIP_MARK = "# not run by the README test:";
    private static final Pattern SHELL_BLOCK = Pattern.compile("^```sh\\n(.*?)^```", Pattern.MULTILINE | Pattern.DOTALL);
    /** Serve up to 4 JVMs and a training run on a shared CPU: generous, the run ends as soon as the script does. */
    private static final Duration SERVE_PATIENCE = Duration.ofMinutes(6);
    private static final Duration SCRIPT_PATIENCE = Duration.ofMinutes(25);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    @TempDir
    Path work;
    private Process serve;

    /** A README shell block: its text and, when the README marks it so, why the test does not run it. */
    record Block(String text, String skipReason) {
        String firstCommand() {
            return text.lines().filter(l -> !l.isBlank() && !l.startsWith("#")).findFirst().orElse("");
        }
    }

    static List<Block> readmeBlocks() throws IOException {
        List<Block> blocks = new ArrayList<>();
        Matcher block = SHELL_BLOCK.matcher(Files.readString(REPO.resolve("README.md")));
        while (block.find()) {
            String text = block.group(1);
            String first = text.lines().findFirst().orElse("");
            blocks.add(new Block(text, first.startsWith(SKIP_MARK) ? first.substring(SKIP_MARK.length()).strip() : null));
        }
        return blocks;
    }

    @AfterEach
    void stopServe() throws InterruptedException {
        if (serve == null) return;
        serve.destroy(); // SIGTERM: merlai serve stops its functions, S3Proxy and Redis
        if (!serve.waitFor(60, TimeUnit.SECONDS)) {
            serve.descendants().forEach(ProcessHandle::destroyForcibly);
            serve.destroyForcibly().waitFor();
        }
    }

    @Test
    void onlyTheBlocksForAnotherSetupAreSkippedAndEachSaysWhy() throws IOException {
        List<String> skipped = new ArrayList<>();
        for (Block block : readmeBlocks()) {
            if (block.skipReason() == null) continue;
            assertFalse(block.skipReason().isBlank(), "a skipped block says why: " + block.text());
            skipped.add(block.firstCommand().split("\\s+#")[0].strip());
        }
        // scripts/test runs this test (and scripts/demo wants the default ports); the test starts merlai serve itself
        assertEquals(List.of("scripts/demo", "bin/merlai serve", "bin/merlai live --midi-in \"KeyStep\" --midi-out \"Gervill\" --tempo 96 --meter 4/4", "scripts/aot-cache"), skipped);
    }

    @Test
    void everyReadmeCommandRunsAsWrittenAndGivesWhatTheReadmeSays() throws Exception {
        Map<String, Integer> ports = new LinkedHashMap<>();
        for (String port : List.of("9000", "6379", "8080", "8081", "8082", "8083", "8090")) ports.put(port, ChildProcess.freePort(Set.copyOf(ports.values())));
        for (String dir : List.of("bin", "cli", "examples")) Files.createSymbolicLink(work.resolve(dir), REPO.resolve(dir));
        Path data = work.resolve(".merlai");
        Files.writeString(work.resolve(".curlrc"), "fail-with-body\nshow-error\n");

        Path serveOut = work.resolve("serve.out");
        ProcessBuilder serveCommand = new ProcessBuilder("bin/merlai", "serve", "--home", REPO.toString(), "--data", data.toString(),
                "--s3-port", ports.get("9000").toString(), "--redis-port", ports.get("6379").toString(),
                "--http-port", ports.get("8080").toString(), "--render-port", ports.get("8081").toString(),
                "--recommend-port", ports.get("8082").toString(), "--train-port", ports.get("8083").toString(),
                "--router-port", ports.get("8090").toString())
                .directory(work.toFile()).redirectErrorStream(true).redirectOutput(serveOut.toFile());
        freshMachine(serveCommand.environment(), ports, data);
        serve = serveCommand.start();
        awaitRunning(serveOut);
        String printed = Files.readString(serveOut);
        assertTrue(printed.contains("bin/merlai tenants create demo --url http://127.0.0.1:" + ports.get("8080")),
                "serve prints a tenants line that reaches its own port:\n" + printed);

        StringBuilder script = new StringBuilder("set -eEo pipefail\n")
                .append("trap 'echo \"README command failed (exit $?): $BASH_COMMAND\" >&2' ERR\n");
        int n = 0;
        for (Block block : readmeBlocks()) {
            if (block.skipReason() != null) continue;
            String text = block.text();
            for (var port : ports.entrySet()) text = text.replace("127.0.0.1:" + port.getKey(), "127.0.0.1:" + port.getValue());
            script.append("exec > block-").append(++n).append(".out\n").append(text).append('\n');
        }
        Files.writeString(work.resolve("readme.sh"), script);
        ProcessBuilder run = new ProcessBuilder("bash", "readme.sh").directory(work.toFile())
                .redirectErrorStream(false).redirectError(work.resolve("readme.err").toFile());
        freshMachine(run.environment(), ports, data);
        Process readme = run.start();
        boolean ended = readme.waitFor(SCRIPT_PATIENCE.toSeconds(), TimeUnit.SECONDS);
        if (!ended) {
            readme.descendants().forEach(ProcessHandle::destroyForcibly);
            readme.destroyForcibly().waitFor();
        }
        assertTrue(ended, "the README's commands did not finish within " + SCRIPT_PATIENCE + ":\n" + tail(work.resolve("readme.err")));
        assertEquals(0, readme.exitValue(), "a README command failed:\n" + tail(work.resolve("readme.err")));

        // On the command line: the melody kept on MELODY, accompaniment and chords added; a MusicXML copy
        Score arranged = Scores.read(work.resolve("song-arranged.mid"), ReadOptions.DEFAULT).score();
        assertEquals(Scores.read(REPO.resolve("examples/ode-to-joy.json"), ReadOptions.DEFAULT).score().melody().orElseThrow().notes(),
                arranged.melody().orElseThrow().notes());
        assertTrue(arranged.tracks().stream().anyMatch(t -> t.role().isAccompaniment() && !t.notes().isEmpty()));
        assertFalse(arranged.chords().isEmpty());
        assertTrue(Files.size(work.resolve("song.musicxml")) > 0);

        // merlai serve: the uploaded melody's whole result set, synced with the aws CLI
        try (Stream<Path> jobs = Files.list(work.resolve("results"))) {
            Path job = jobs.findFirst().orElseThrow();
            assertEquals("done", MAPPER.readTree(job.resolve("job.json").toFile()).path("state").asText());
            for (String file : List.of("arrangement.json", "plugins.json", "arrangement.mid", "preview.wav", "pianoroll.png")) {
                assertTrue(Files.size(job.resolve(file)) > 0, file);
            }
        }

        // HTTP API: the answer with its report, the jobs, one result by its link, usage, the tenants list
        JsonNode answer = MAPPER.readTree(work.resolve("answer.json").toFile());
        assertEquals(16 + 2, answer.path("bars").asInt(), "the melody's 16 bars and the 2-bar ending: " + answer);
        assertFalse(answer.path("meter").asText().isEmpty(), "the answer carries the report: " + answer);
        assertTrue(answer.path("arrangement").has("tracks"), "inline: the arrangement itself");
        assertTrue(MAPPER.readTree(work.resolve("plugins.json").toFile()).path("tracks").size() > 1);
        String http = Files.readString(work.resolve("block-3.out"));
        assertTrue(http.contains("\"state\":\"done\"") || http.contains("\"state\" : \"done\""), http);
        assertTrue(http.contains("acme") && http.contains("revoked"), "tenants list and revoke print what they did:\n" + http);

        // Plugins: the feedback recorded, the operator's catalog entry added
        String plugins = Files.readString(work.resolve("block-4.out"));
        assertTrue(plugins.contains("\"verdict\":\"replaced\"") && plugins.contains("ob-xd"), plugins);

        // Personalised model: three pieces accepted, a model trained, used by complete and on the command line
        String training = Files.readString(work.resolve("block-5.out"));
        assertEquals(3, Pattern.compile("\\{\"key\":\"tenants/acme/training/my-songs/[^\"]+\",\"file\":\"[^\"]+\",\"accepted\":true").matcher(training).results().count(),
                "each piece put is answered 201, accepted:\n" + training);
        assertEquals("queued", MAPPER.readTree(work.resolve("training.json").toFile()).path("state").asText());
        assertTrue(training.contains("\"state\":\"done\""), training);
        assertFalse(training.contains("\"out\":"), "no server folder in the progress the tenant sees");
        assertTrue(Files.isRegularFile(work.resolve("my-model/merlai-chords.onnx")));
        Score personal = Scores.read(work.resolve("out.mid"), ReadOptions.DEFAULT).score();
        assertTrue(personal.tracks().stream().anyMatch(t -> t.role() == Role.PIANO && !t.notes().isEmpty()));
    }

    /**
     * What a fresh machine has: no S3 credentials or AWS config of its own (the README must give them), the test's
     * data folder and HTTP port for the operator's commands, curl failing on HTTP errors.
     */
    private void freshMachine(Map<String, String> env, Map<String, Integer> ports, Path data) {
        env.keySet().removeIf(name -> name.startsWith("AWS_") || name.startsWith("MERLAI_"));
        env.put("AWS_CONFIG_FILE", work.resolve("no-aws-config").toString());
        env.put("AWS_SHARED_CREDENTIALS_FILE", work.resolve("no-aws-credentials").toString());
        env.put("CURL_HOME", work.toString());
        env.put("MERLAI_DATA", data.toString());
        env.put("MERLAI_HTTP_PORT", ports.get("8080").toString());
    }

    private void awaitRunning(Path serveOut) throws Exception {
        long deadline = System.nanoTime() + SERVE_PATIENCE.toNanos();
        while (System.nanoTime() < deadline) {
            // the last line of what serve prints once it runs: the whole of it is there
            if (Files.exists(serveOut) && Files.readString(serveOut).contains("<file>/replay")) return;
            if (!serve.isAlive()) throw new AssertionError("merlai serve exited with " + serve.exitValue() + ":\n" + tail(serveOut));
            Thread.sleep(500);
        }
        throw new AssertionError("merlai serve not running within " + SERVE_PATIENCE + ":\n" + tail(serveOut));
    }

    private static String tail(Path file) throws IOException {
        if (!Files.exists(file)) return "(no output)";
        List<String> lines = Files.readAllLines(file);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }
}
