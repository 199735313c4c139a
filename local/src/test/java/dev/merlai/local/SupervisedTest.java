package dev.merlai.local;

import dev.merlai.embedded.ChildProcess;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("Supervised")
class SupervisedTest {

    @TempDir
    Path logs;

    /** A real child process: {@code sleep}, stopped like any other child. */
    private static ChildProcess sleeper() throws IOException {
        Process process = new ProcessBuilder("sleep", "600").start();
        return new ChildProcess() {
            @Override
            public Process process() {
                return process;
            }

            @Override
            public void close() {
                ChildProcess.stop(process, 5);
            }
        };
    }

    @Test
    @DisplayName("starts a child killed with SIGKILL again and says so in a health line; once closed, restarts nothing")
    void restartsAKilledChild() throws Exception {
        Path health = logs.resolve("health.log");
        Supervised child = new Supervised("sleeper", sleeper(), SupervisedTest::sleeper, health).watch();
        long first = child.process().pid();

        ProcessHandle.of(first).orElseThrow().destroyForcibly();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (child.process().pid() == first && System.nanoTime() < deadline) Thread.sleep(50);

        Process second = child.process();
        assertNotEquals(first, second.pid(), "a new process");
        assertTrue(second.isAlive());
        assertEquals(1, child.restarts());
        String lines = Files.readString(health);
        assertTrue(lines.contains("health: sleeper exited with code 137; restart 1 in 1000 ms"), lines);
        assertTrue(lines.contains("health: sleeper restarted in "), lines);

        child.close();
        assertFalse(second.isAlive(), "close stops the child");
        Thread.sleep(1500);
        assertEquals(second.pid(), child.process().pid(), "and does not start it again");
    }
}
