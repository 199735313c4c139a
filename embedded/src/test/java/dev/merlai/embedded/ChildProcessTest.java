package dev.merlai.embedded;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertFalse;

@DisplayName("ChildProcess.freePort")
class ChildProcessTest {

    @Test
    @DisplayName("never hands out a port already promised to a server that has not bound it yet")
    void skipsPromisedPorts() {
        // Every port promised but 16 the system has just handed out: a chooser that ignored the promise is caught at once.
        Set<Integer> unpromised = new HashSet<>();
        while (unpromised.size() < 16) unpromised.add(ChildProcess.freePort());
        Set<Integer> promised = new HashSet<>(IntStream.rangeClosed(1, 65535).boxed().toList());
        promised.removeAll(unpromised);
        for (int i = 0; i < 20; i++) {
            int port = ChildProcess.freePort(promised);
            assertFalse(promised.contains(port), "port " + port + " was promised");
        }
    }
}
