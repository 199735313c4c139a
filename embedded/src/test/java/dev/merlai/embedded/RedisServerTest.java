package dev.merlai.embedded;

import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("RedisServer")
class RedisServerTest {

    @Test
    @DisplayName("starts redis-server on a free loopback port, answers PING, and is gone after close")
    void startsAnswersAndStops() throws IOException {
        RedisServer redis = RedisServer.start("127.0.0.1", 0);
        try {
            assertTrue(redis.ping(), "PING is answered with +PONG");
            assertEquals("redis://127.0.0.1:" + redis.port(), redis.url().toString());
            try (java.net.Socket stranger = new java.net.Socket("127.0.0.1", redis.port())) {
                stranger.getOutputStream().write("SET planted 1\r\n".getBytes());
                assertTrue(new String(stranger.getInputStream().readNBytes(7)).startsWith("-NOAUTH"), "a client without the password is refused");
            }
        } finally {
            redis.close();
        }
        assertFalse(redis.isAlive(), "the process has ended");
        assertFalse(redis.ping(), "nothing answers on the port any more");
    }

    @Test
    @DisplayName("with a data folder writes an append-only file there")
    void appendOnlyWithDataDir(@TempDir Path data) throws IOException {
        try (RedisServer redis = RedisServer.start("127.0.0.1", 0, data, "a-password-of-some-length")) {
            assertTrue(redis.ping());
        }
        try (var files = Files.list(data)) {
            assertTrue(files.anyMatch(f -> f.getFileName().toString().startsWith("appendonly")), "an AOF under " + data);
        }
    }

    @Test
    @DisplayName("says how to install Redis when redis-server is missing")
    void missingExecutable(@TempDir Path nowhere) {
        System.setProperty("merlai.redis.server", nowhere.resolve("redis-server").toString());
        try {
            IOException e = assertThrows(IOException.class, () -> RedisServer.start("127.0.0.1", 0));
            assertTrue(e.getMessage().contains("scripts/install-packages"), e.getMessage());
        } finally {
            System.clearProperty("merlai.redis.server");
        }
    }

    @Test
    @DisplayName("fails when the port is taken, even by another Redis that answers PING there")
    void portTaken() throws IOException {
        try (RedisServer first = RedisServer.start("127.0.0.1", 0)) {
            IOException e = assertThrows(IOException.class, () -> RedisServer.start("127.0.0.1", first.port()));
            assertTrue(e.getMessage().contains("another Redis") || e.getMessage().contains("Address already in use"), e.getMessage());
            assertTrue(first.ping(), "the first one is untouched");
        }
    }
}
