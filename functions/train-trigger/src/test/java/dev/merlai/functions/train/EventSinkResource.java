package dev.merlai.functions.train;

import com.sun.net.httpserver.HttpServer;
import dev.merlai.events.EventSignature;
import dev.merlai.testing.SignedEvents;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A real HTTP endpoint standing where the broker stands: it takes binary-mode CloudEvents signed with the test events
 * secret, as {@code merlai serve}'s router does (202; anything unsigned or forged is refused with 401 and not kept),
 * and keeps them, so tests can read which events a job sent, in order.
 */
public class EventSinkResource implements QuarkusTestResourceLifecycleManager {

    /** One received event: its {@code ce-type}, {@code ce-subject} and JSON data. */
    public record Received(String type, String subject, String source, String data) {
    }

    private static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @Override
    public Map<String, String> start() {
        try {
            server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        EventSignature signature = new EventSignature(SignedEvents.TEST_SECRET);
        server.createContext("/", exchange -> {
            var headers = exchange.getRequestHeaders();
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (!signature.verify(headers.getFirst(EventSignature.HEADER), headers.getFirst("ce-id"), headers.getFirst("ce-source"),
                    headers.getFirst("ce-type"), headers.getFirst("ce-subject"), body)) {
                exchange.sendResponseHeaders(401, -1);
                exchange.close();
                return;
            }
            RECEIVED.add(new Received(headers.getFirst("ce-type"), headers.getFirst("ce-subject"), headers.getFirst("ce-source"),
                    new String(body, StandardCharsets.UTF_8)));
            exchange.sendResponseHeaders(202, -1);
            exchange.close();
        });
        server.start();
        return Map.of("merlai.events.sink", "http://127.0.0.1:" + server.getAddress().getPort() + "/");
    }

    /** The events received so far about one model, in arrival order. */
    public static List<Received> about(String model) {
        return RECEIVED.stream().filter(e -> model.equals(e.subject())).toList();
    }

    /** The events received so far from one source. */
    public static List<Received> fromSource(String source) {
        return RECEIVED.stream().filter(e -> source.equals(e.source())).toList();
    }

    @Override
    public void stop() {
        if (server != null) server.stop(0);
    }
}
