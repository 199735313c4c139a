package dev.merlai.local;

import dev.merlai.events.EventTypes;
import dev.merlai.local.Subscriber.Answer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.nio.charset.StandardCharsets;

import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("LocalMerlai")
class LocalMerlaiTest {

    @Test
    @DisplayName("wires S3, Redis, router and watcher: an upload reaches complete, its reply recommend-plugin, that reply render-midi; close stops all")
    void uploadRunsThePipeline(@TempDir Path home, @TempDir Path data) throws Exception {
        try (Subscriber complete = new Subscriber(got -> Answer.reply(EventTypes.ARRANGEMENT_COMPLETED, "a1", "{\"job\":\"j1\"}"));
             Subscriber recommend = new Subscriber(got -> Answer.reply(EventTypes.PLUGINS_RECOMMENDED, "p1", "{\"job\":\"j1\"}"));
             Subscriber render = new Subscriber(got -> Answer.status(204));
             Subscriber train = new Subscriber(got -> Answer.status(204))) {
            LocalSettings settings = LocalSettings.ephemeral(home, data)
                    .withFunctionUrl(LocalMerlai.COMPLETE, complete.url(""))
                    .withFunctionUrl(LocalMerlai.RECOMMEND_PLUGIN, recommend.url(""))
                    .withFunctionUrl(LocalMerlai.RENDER_MIDI, render.url(""))
                    .withFunctionUrl(LocalMerlai.TRAIN_TRIGGER, train.url(""))
                    .withFunctionUrl(LocalMerlai.ACCOUNT, URI.create("http://127.0.0.1:5"))
                    .withFunctionUrl(LocalMerlai.LIVE, URI.create("http://127.0.0.1:6"));
            LocalMerlai merlai = LocalMerlai.start(settings);
            try {
                RedisClientProbe redis = new RedisClientProbe(merlai);
                assertTrue(redis.answer("AUTH " + merlai.redisPassword() + "\r\nPING\r\n").endsWith("+PONG\r\n"), "Redis answers on " + merlai.redisUrl());
                assertTrue(redis.answer("PING\r\n").startsWith("-NOAUTH"), "and only to who knows its password");
                assertTrue(Files.readAllLines(data.resolve(LocalMerlai.REDIS_PASSWORD_FILE)).contains(merlai.redisPassword()));
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(LocalMerlai.REDIS_PASSWORD_FILE))));
                merlai.store().put("tenants/demo/inbox/song.mid", "MThd".getBytes(StandardCharsets.UTF_8), "audio/midi");

                Subscriber.Received uploaded = complete.next();
                assertEquals("/", uploaded.path(), "functions take events at their root");
                assertEquals(EventTypes.MELODY_UPLOADED, uploaded.event().type());
                assertEquals("tenants/demo/inbox/song.mid", uploaded.event().subject());
                Subscriber.Received completed = recommend.next();
                assertEquals(EventTypes.ARRANGEMENT_COMPLETED, completed.event().type());
                assertEquals("a1", completed.event().id());
                Subscriber.Received recommended = render.next();
                assertEquals(EventTypes.PLUGINS_RECOMMENDED, recommended.event().type());
                assertEquals("p1", recommended.event().id());
                assertEquals(java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"),
                        java.nio.file.Files.getPosixFilePermissions(data.resolve(EventsSecret.FILE)), "the events secret is its owner's only");
            } finally {
                merlai.close();
            }
            assertThrows(IOException.class, () -> new Socket(merlai.s3Endpoint().getHost(), merlai.s3Endpoint().getPort()).close(),
                    "S3Proxy is stopped");
            assertThrows(IOException.class, () -> new Socket(merlai.routerUrl().getHost(), merlai.routerUrl().getPort()).close(),
                    "the router is stopped");
        }
    }

    @Test
    @DisplayName("says how to build a function whose jar is missing, and leaves nothing running")
    void missingFunctionJar(@TempDir Path home, @TempDir Path data) {
        IOException e = assertThrows(IOException.class, () -> LocalMerlai.start(LocalSettings.ephemeral(home, data)));
        assertTrue(e.getMessage().contains("-pl functions/complete -am package"), e.getMessage());
    }

    @Test
    @DisplayName("refuses a fixed port that is in use, naming the option that moves it, before starting anything")
    void portTaken(@TempDir Path home, @TempDir Path data) throws IOException {
        try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            LocalSettings settings = LocalSettings.ephemeral(home, data).withPorts(0, 0, 0, 0, 0, taken.getLocalPort())
                    .withFunctionUrl(LocalMerlai.COMPLETE, URI.create("http://127.0.0.1:1"))
                    .withFunctionUrl(LocalMerlai.RECOMMEND_PLUGIN, URI.create("http://127.0.0.1:3"))
                    .withFunctionUrl(LocalMerlai.RENDER_MIDI, URI.create("http://127.0.0.1:2"))
                    .withFunctionUrl(LocalMerlai.TRAIN_TRIGGER, URI.create("http://127.0.0.1:4"))
                    .withFunctionUrl(LocalMerlai.ACCOUNT, URI.create("http://127.0.0.1:5"))
                    .withFunctionUrl(LocalMerlai.LIVE, URI.create("http://127.0.0.1:6"));
            IOException e = assertThrows(IOException.class, () -> LocalMerlai.start(settings));
            assertTrue(e.getMessage().contains("--router-port"), e.getMessage());
        }
    }

    /** Talks RESP to the runner's Redis. */
    private record RedisClientProbe(LocalMerlai merlai) {
        /** Sends inline commands and reads what has come back within 1 s. */
        String answer(String commands) throws IOException {
            try (Socket socket = new Socket(merlai.redisUrl().getHost(), merlai.redisUrl().getPort())) {
                socket.setSoTimeout(1000);
                socket.getOutputStream().write(commands.getBytes());
                StringBuilder answer = new StringBuilder();
                try {
                    for (int c = socket.getInputStream().read(); c != -1; c = socket.getInputStream().read()) {
                        answer.append((char) c);
                        if (answer.toString().endsWith("PONG\r\n") || answer.toString().endsWith("auth.\r\n")) break;
                    }
                } catch (java.net.SocketTimeoutException enough) {
                    // all there was
                }
                return answer.toString();
            }
        }
    }
}
