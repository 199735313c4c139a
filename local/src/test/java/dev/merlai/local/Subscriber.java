package dev.merlai.local;

import dev.merlai.events.CloudEvent;

import com.sun.net.httpserver.HttpServer;
import dev.merlai.events.EventSignature;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/** A real HTTP server standing in for a function: records every event it gets and answers as the test scripts it. */
final class Subscriber implements AutoCloseable {

    /** An answer: status, response headers, body. */
    record Answer(int status, Map<String, String> headers, byte[] body) {
        static Answer status(int status) {
            return new Answer(status, Map.of(), new byte[0]);
        }

        /** A 200 whose body is a reply event in binary mode. */
        static Answer reply(String type, String id, String json) {
            Map<String, String> headers = new LinkedHashMap<>();
            headers.put("ce-specversion", "1.0");
            headers.put("ce-id", id);
            headers.put("ce-source", "/test/function");
            headers.put("ce-type", type);
            headers.put("Content-Type", "application/json");
            return new Answer(200, headers, json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
    }

    /** The events secret of these tests: the router and the watcher sign with it, and the subscriber checks it. */
    static final EventSignature SIGNATURE = new EventSignature("local-test-events-secret-0123456789abcdef");

    /** What the server got: the path, the event, and whether it was signed with {@link #SIGNATURE}. */
    record Received(String path, CloudEvent event, boolean signed) {
    }

    private final HttpServer server;
    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private volatile Function<Received, Answer> script;

    Subscriber(Function<Received, Answer> script) throws IOException {
        this(0, script);
    }

    /** On a given port (0 = any free port). */
    Subscriber(int port, Function<Received, Answer> script) throws IOException {
        this.script = script;
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
        server.createContext("/", exchange -> {
            try (exchange) {
                byte[] body = exchange.getRequestBody().readAllBytes();
                CloudEvent event = CloudEvent.fromHttp(exchange.getRequestHeaders(), body);
                Received got = new Received(exchange.getRequestURI().getPath(), event, SIGNATURE.verify(
                        exchange.getRequestHeaders().getFirst(EventSignature.HEADER), event.id(), event.source(), event.type(), event.subject(), body));
                received.add(got);
                Answer answer = this.script.apply(got);
                answer.headers().forEach(exchange.getResponseHeaders()::set);
                exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
                if (answer.body().length > 0) exchange.getResponseBody().write(answer.body());
            }
        });
        server.start();
    }

    /** {@code http://127.0.0.1:port} + path. */
    URI url(String path) {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + path);
    }

    void answer(Function<Received, Answer> newScript) {
        script = newScript;
    }

    /** The next event received, waiting up to 10 s. */
    Received next() throws InterruptedException {
        Received got = received.poll(10, TimeUnit.SECONDS);
        if (got == null) throw new AssertionError("no event arrived within 10 s");
        return got;
    }

    /** Everything received and not taken by {@link #next()} yet. */
    List<Received> drain() {
        List<Received> all = new java.util.ArrayList<>();
        received.drainTo(all);
        return all;
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
