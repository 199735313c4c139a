package dev.merlai.it;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every benchmark keeps working: each {@code benchmarks/*.sh}, found by name so that a new one is covered without
 * being listed here, has a {@code --smoke} mode (one short run, on what {@code ./mvnw install} built) and that run
 * exits 0. fault-injection.sh is left to {@link FaultInjectionSmokeTest}, which runs its smoke mode and also checks
 * what it counted.
 */
class BenchmarkSmokeTest {

    private static final Path ROOT = Path.of(System.getProperty("merlai.repo.root", "..")).toAbsolutePath().normalize();
    private static final String DATA = System.getProperty("merlai.data", ROOT.resolve("../shared/data").toString());

    @TestFactory
    Stream<DynamicTest> everyBenchmarkRunsInItsSmokeMode() throws IOException {
        Path[] scripts;
        try (Stream<Path> files = Files.list(ROOT.resolve("benchmarks"))) {
            scripts = files.filter(file -> file.getFileName().toString().endsWith(".sh"))
                    .filter(file -> !file.getFileName().toString().equals("fault-injection.sh"))
                    .sorted().toArray(Path[]::new);
        }
        assertTrue(scripts.length > 0, "no benchmarks found under " + ROOT.resolve("benchmarks"));
        return Stream.of(scripts).map(script -> DynamicTest.dynamicTest(script.getFileName() + " --smoke", () -> runsInItsSmokeMode(script)));
    }

    private static void runsInItsSmokeMode(Path script) throws Exception {
        assertTrue(Files.readString(script).contains("--smoke"),
                script.getFileName() + " has no --smoke mode (one short run that checks it works): add one and say so in its usage line");
        Path log = Files.createTempFile("merlai-benchmark-smoke", ".log");
        try {
            ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), "--smoke").directory(ROOT.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile());
            builder.environment().put("MERLAI_DATA", DATA);
            Process run = builder.start();
            boolean ended = run.waitFor(15, TimeUnit.MINUTES);
            if (!ended) {
                run.descendants().forEach(ProcessHandle::destroy);
                run.destroyForcibly().waitFor();
            }
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertTrue(ended, script.getFileName() + " --smoke did not end in 15 minutes:\n" + output);
            assertEquals(0, run.exitValue(), script.getFileName() + " --smoke failed:\n" + output);
        } finally {
            Files.delete(log);
        }
    }
}
