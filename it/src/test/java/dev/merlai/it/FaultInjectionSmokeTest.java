package dev.merlai.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code benchmarks/fault-injection.sh --smoke} runs against a merlai serve of its own and reports what the runner
 * must hold: complete killed with SIGKILL is restarted and every upload ends done, with no dead letter and no job
 * billed twice; a short load leaves no job stuck; an emoji/CJK upload name is processed. The other checks (memory,
 * forged events, Redis down, traversal keys) must be measured and reported, whatever they find.
 */
class FaultInjectionSmokeTest {

    @Test
    void theSmokeRunReportsARunnerThatHeals() throws Exception {
        Path root = Path.of(System.getProperty("merlai.repo.root", "..")).toAbsolutePath();
        Process script = new ProcessBuilder("bash", "benchmarks/fault-injection.sh", "--smoke").directory(root.toFile()).redirectErrorStream(true).start();
        String output = new String(script.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(script.waitFor(20, TimeUnit.MINUTES));
        assertEquals(0, script.exitValue(), output);
        List<String> lines = output.strip().lines().toList();
        JsonNode counts = new ObjectMapper().readTree(lines.get(lines.size() - 1));

        JsonNode kill = counts.path("kill").path("complete");
        assertTrue(kill.path("restarted").asBoolean(), output);
        assertEquals(kill.path("uploads").asInt(), kill.path("doneEventually").asInt(), output);
        assertEquals(0, kill.path("deadLetters").asInt(), output);
        assertEquals(0, kill.path("billedTwice").asInt(), output);
        assertEquals(0, counts.path("load").path("stuck").asInt(), output);
        assertEquals(0, counts.path("load").path("billedTwice").asInt(), output);
        assertEquals("done", counts.path("unicodeUpload").asText(), output);
        for (String measured : List.of("bigUpload", "forgedEvents", "redisDown", "traversal")) assertTrue(counts.has(measured), measured + ": " + output);
    }
}
