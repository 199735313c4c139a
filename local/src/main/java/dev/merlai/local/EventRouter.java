package dev.merlai.local;

import dev.merlai.events.CloudEvent;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.merlai.events.EventSignature;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * The Knative broker on one machine. It accepts CloudEvents in HTTP binary or structured mode ({@code POST /}, from the
 * {@link InboxWatcher} or the functions' event sink) that are signed with the events secret ({@link EventSignature}; an
 * unsigned or forged post is refused with 401 and goes nowhere), answers 202, and delivers each event, signed anew, to
 * every subscriber of its type with the broker's guarantees:
 * <ul>
 *   <li>at least once: 5xx, 408, 429, connection errors and timeouts are retried with exponential backoff
 *       ({@link DeliveryPolicy}), a subscriber that cannot be reached or answers 503 for minutes (while
 *       {@code merlai serve} restarts it or its storage); after the last retry, and at once on any other non-2xx status (a bad event), the
 *       event is written to the dead-letter folder as {@code <UTC timestamp>-<ce-id>.json} (target, reason, headers
 *       and body), which {@link #replay(Path)}, or {@code POST /dead-letters/<file>/replay}, delivers again;</li>
 *   <li>a 2xx response with a {@code ce-type} header and a body is the function's reply event: it is routed in turn,
 *       so {@code melody.uploaded -> complete -> arrangement.completed -> recommend-plugin -> plugins.recommended ->
 *       render-midi -> render.completed} runs as in the cluster;</li>
 *   <li>bounded work: {@link DeliveryPolicy#concurrency()} attempts at once, and new events are refused with 503 while
 *       {@link DeliveryPolicy#maxPending()} deliveries are unfinished;</li>
 *   <li>clean shutdown: {@link #close()} stops accepting, lets running attempts finish within the grace period and
 *       dead-letters what is still undelivered, so nothing accepted is lost.</li>
 * </ul>
 * One log line per attempt: {@code delivery type=... id=... target=... status=... attempt=n ms=...}.
 */
public final class EventRouter implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(EventRouter.class);
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The largest event body accepted, in bytes (the functions accept 8 MiB). */
    private static final int MAX_BODY = 8 * 1024 * 1024;
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);
    private static final String STOPPED = "the router stopped before the event was delivered";
    /** Dead letters are replayed over HTTP with {@code POST /dead-letters/<file>/replay}. */
    public static final String DEAD_LETTERS_PATH = "/dead-letters/";
    private static final String REPLAY_SUFFIX = "/replay";
    private static final Pattern DEAD_LETTER_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*\\.json");

    /**
     * What became of one delivery.
     *
     * @param event      the event
     * @param target     the subscriber's URL
     * @param delivered  true when the subscriber answered 2xx
     * @param attempts   attempts made
     * @param lastStatus the last HTTP status, or what went wrong without one ({@code timeout}, {@code ConnectException})
     * @param deadLetter the dead-letter file when not delivered (null if it could not be written)
     */
    public record Outcome(CloudEvent event, URI target, boolean delivered, int attempts, String lastStatus, Path deadLetter) {
    }

    private final HttpServer server;
    private final URI endpoint;
    private final Map<String, List<URI>> routes;
    private final Path deadLetters;
    private final DeliveryPolicy policy;
    private final EventSignature signature;
    private final HttpClient client;
    private final ScheduledThreadPoolExecutor executor;
    private final Set<Delivery> pending = ConcurrentHashMap.newKeySet();
    private volatile boolean closed;

    private EventRouter(HttpServer server, URI endpoint, Map<String, List<URI>> routes, Path deadLetters, DeliveryPolicy policy,
                        EventSignature signature) {
        this.server = server;
        this.signature = signature;
        this.endpoint = endpoint;
        this.routes = routes;
        this.deadLetters = deadLetters;
        this.policy = policy;
        this.client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1) // as Knative's broker delivers; no h2c upgrade dance
                .connectTimeout(policy.attemptTimeout().compareTo(Duration.ofSeconds(5)) < 0 ? policy.attemptTimeout() : Duration.ofSeconds(5))
                .build();
        AtomicInteger threads = new AtomicInteger();
        this.executor = new ScheduledThreadPoolExecutor(policy.concurrency(), task -> {
            Thread thread = new Thread(task, "merlai-router-" + threads.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        executor.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        executor.setRemoveOnCancelPolicy(true);
    }

    /**
     * Starts the router on {@code host:port} (port 0 = any free port).
     *
     * @param routes      event type to subscriber URLs (see {@link Triggers})
     * @param deadLetters the dead-letter folder, created if missing
     * @param signature   checks the events posted to it and signs the deliveries ({@link EventsSecret})
     */
    public static EventRouter start(String host, int port, Map<String, List<URI>> routes, Path deadLetters, DeliveryPolicy policy,
                                    EventSignature signature) throws IOException {
        Files.createDirectories(deadLetters);
        Map<String, List<URI>> table = new LinkedHashMap<>();
        routes.forEach((type, targets) -> table.put(type, List.copyOf(targets)));
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
        URI endpoint = URI.create("http://" + host + ":" + server.getAddress().getPort() + "/");
        EventRouter router = new EventRouter(server, endpoint, Map.copyOf(table), deadLetters, policy, signature);
        server.createContext("/", router::handle);
        server.start();
        LOG.info("event router on {}: {}", endpoint, table);
        return router;
    }

    /** Where to POST events: {@code http://host:port/}. */
    public URI endpoint() {
        return endpoint;
    }

    public Path deadLetters() {
        return deadLetters;
    }

    /** Deliveries accepted and not finished yet (retries waiting included). */
    public int pending() {
        return pending.size();
    }

    /**
     * Delivers an event to every subscriber of its type. The future completes when all those deliveries, and the
     * deliveries of the reply events they bring, recursively, have finished (delivered or dead-lettered); it holds
     * their outcomes, this event's first. An event without subscribers is logged and completes with none.
     */
    public CompletableFuture<List<Outcome>> publish(CloudEvent event) {
        List<URI> targets = routes.getOrDefault(event.type(), List.of());
        if (targets.isEmpty()) {
            LOG.info("no subscriber type={} id={} source={} subject={}", event.type(), event.id(), event.source(), event.subject());
            return CompletableFuture.completedFuture(List.of());
        }
        return all(targets.stream().map(target -> deliver(event, target)).toList());
    }

    /**
     * Delivers a dead letter again, with the same retries; a failure writes a new dead letter. It goes to the target
     * it failed on while that is still a subscriber of its type, else to the type's subscribers now (the routes
     * changed, say a restart on other ports). The file is deleted once the delivery is delivered or dead-lettered anew.
     */
    public CompletableFuture<List<Outcome>> replay(Path file) throws IOException {
        JsonNode letter = MAPPER.readTree(file.toFile());
        Map<String, List<String>> headers = new LinkedHashMap<>();
        letter.path("headers").fields().forEachRemaining(header -> headers.put(header.getKey(), List.of(header.getValue().asText())));
        byte[] body = letter.has("bodyBase64") ? Base64.getDecoder().decode(letter.get("bodyBase64").asText())
                : letter.path("body").asText().getBytes(StandardCharsets.UTF_8);
        CloudEvent event;
        try {
            event = CloudEvent.fromHttp(headers, body);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " is not a dead letter: " + e.getMessage(), e);
        }
        URI failedOn = URI.create(letter.path("target").asText());
        List<URI> subscribers = routes.getOrDefault(event.type(), List.of());
        List<URI> targets = subscribers.contains(failedOn) || subscribers.isEmpty() ? List.of(failedOn) : subscribers;
        LOG.info("replay type={} id={} targets={} file={}", event.type(), event.id(), targets, file);
        return all(targets.stream().map(target -> deliver(event, target)).toList()).whenComplete((outcomes, error) -> {
            boolean kept = outcomes != null && outcomes.stream().allMatch(o -> o.delivered() || o.deadLetter() != null);
            if (!kept) return;
            try {
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.warn("cannot delete the replayed dead letter {}: {}", file, e.toString());
            }
        });
    }

    /**
     * Stops accepting events, waits up to the grace period for running attempts, cancels the retries still waiting and
     * writes every unfinished delivery as a dead letter.
     */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        server.stop(0); // new events already get 503; a request cut off here fails at its sender, who sends again
        executor.shutdown();
        try {
            if (!executor.awaitTermination(policy.shutdownGrace().toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
                executor.awaitTermination(1, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        List<Delivery> unfinished = List.copyOf(pending);
        unfinished.forEach(delivery -> deadLetter(delivery, STOPPED));
        LOG.info("event router on {} stopped; {} undelivered event(s) written to {}", endpoint, unfinished.size(), deadLetters);
    }

    private CompletableFuture<List<Outcome>> deliver(CloudEvent event, URI target) {
        Delivery delivery = new Delivery(event, target);
        pending.add(delivery);
        schedule(delivery, 1, Duration.ZERO);
        return delivery.done;
    }

    private void schedule(Delivery delivery, int attempt, Duration delay) {
        if (closed) {
            deadLetter(delivery, STOPPED);
            return;
        }
        try {
            executor.schedule(() -> attempt(delivery, attempt), delay.toNanos(), TimeUnit.NANOSECONDS);
        } catch (RejectedExecutionException stopping) {
            deadLetter(delivery, STOPPED);
        }
    }

    private void attempt(Delivery delivery, int attempt) {
        delivery.attempts = attempt;
        CloudEvent event = delivery.event;
        HttpRequest.Builder request = event.post(delivery.target, policy.attemptTimeout(), signature);
        long started = System.nanoTime();
        HttpResponse<byte[]> response = null;
        String failure = null;
        try {
            response = client.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (HttpTimeoutException e) {
            failure = "timeout";
        } catch (IOException e) {
            failure = e.getClass().getSimpleName();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return; // close() dead-letters what is unfinished
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        int status = response == null ? -1 : response.statusCode();
        delivery.lastStatus = response == null ? failure : String.valueOf(status);
        LOG.info("delivery type={} id={} target={} status={} attempt={} ms={}", delivery.event.type(), delivery.event.id(),
                delivery.target, delivery.lastStatus, attempt, millis);
        if (status >= 200 && status < 300) {
            delivered(delivery, response);
        } else if (response == null || DeliveryPolicy.retryable(status)) {
            // down or not ready (a 503: its S3 or Redis is down): it will be back, so worth waiting for
            boolean unavailable = response == null ? !failure.equals("timeout") : status == 503;
            if (attempt <= policy.retries() || unavailable && waitedFor(delivery).compareTo(policy.unreachablePatience()) < 0) {
                schedule(delivery, attempt + 1, policy.backoff(attempt));
            } else {
                deadLetter(delivery, "failed " + attempt + " attempt(s), the last with " + (response == null ? failure : "HTTP " + status + answer(response)));
            }
        } else {
            deadLetter(delivery, "rejected with HTTP " + status + answer(response));
        }
    }

    private static Duration waitedFor(Delivery delivery) {
        return Duration.ofNanos(System.nanoTime() - delivery.firstAttemptAt);
    }

    private void delivered(Delivery delivery, HttpResponse<byte[]> response) {
        if (!delivery.finished.compareAndSet(false, true)) return;
        pending.remove(delivery);
        Outcome outcome = new Outcome(delivery.event, delivery.target, true, delivery.attempts, delivery.lastStatus, null);
        CloudEvent reply = reply(delivery, response);
        if (reply == null) {
            delivery.done.complete(List.of(outcome));
            return;
        }
        publish(reply).whenComplete((outcomes, error) -> {
            List<Outcome> all = new ArrayList<>();
            all.add(outcome);
            if (outcomes != null) all.addAll(outcomes);
            delivery.done.complete(List.copyOf(all));
        });
    }

    /** The reply event in a 2xx response, or null when there is none (no {@code ce-type}, or no body). */
    private static CloudEvent reply(Delivery delivery, HttpResponse<byte[]> response) {
        if (response.headers().firstValue("ce-type").isEmpty() || response.body().length == 0) return null;
        try {
            return CloudEvent.fromHttp(response.headers().map(), response.body());
        } catch (IllegalArgumentException e) {
            LOG.warn("the reply of {} to event {} is not a valid event and is dropped: {}", delivery.target, delivery.event.id(), e.getMessage());
            return null;
        }
    }

    private void deadLetter(Delivery delivery, String reason) {
        if (!delivery.finished.compareAndSet(false, true)) return;
        pending.remove(delivery);
        Path file = null;
        try {
            file = writeDeadLetter(delivery, reason);
            LOG.warn("dead letter type={} id={} target={} attempts={} file={}: {}", delivery.event.type(), delivery.event.id(),
                    delivery.target, delivery.attempts, file, reason);
        } catch (IOException | RuntimeException e) {
            LOG.error("cannot write the dead letter of event {} to {} ({}): the event is lost", delivery.event.id(), delivery.target, reason, e);
        }
        delivery.done.complete(List.of(new Outcome(delivery.event, delivery.target, false, delivery.attempts, delivery.lastStatus, file)));
    }

    private Path writeDeadLetter(Delivery delivery, String reason) throws IOException {
        Instant now = Instant.now();
        ObjectNode letter = MAPPER.createObjectNode()
                .put("target", delivery.target.toString())
                .put("reason", reason)
                .put("attempts", delivery.attempts)
                .put("lastStatus", delivery.lastStatus)
                .put("deadAt", now.toString());
        ObjectNode headers = letter.putObject("headers");
        delivery.event.headers().forEach(headers::put);
        String text = utf8(delivery.event.data());
        if (text != null) letter.put("body", text);
        else letter.put("bodyBase64", Base64.getEncoder().encodeToString(delivery.event.data()));
        Path temporary = Files.createTempFile(deadLetters, ".dead-letter", ".tmp");
        Files.write(temporary, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(letter));
        String stem = STAMP.format(now) + "-" + safe(delivery.event.id());
        for (int n = 0; ; n++) {
            Path file = deadLetters.resolve(stem + (n == 0 ? "" : "-" + n) + ".json");
            try {
                return Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException taken) {
                if (n > 1000) throw taken;
            }
        }
    }

    private void handle(HttpExchange exchange) throws IOException {
        try {
            String path = exchange.getRequestURI().getPath();
            if (path.startsWith(DEAD_LETTERS_PATH)) {
                handleReplay(exchange, path.substring(DEAD_LETTERS_PATH.length()));
                return;
            }
            if (!path.equals("/")) {
                respond(exchange, 404, "events go to POST " + endpoint + ", replays to POST " + endpoint.resolve(DEAD_LETTERS_PATH) + "<file>/replay");
                return;
            }
            if (!exchange.getRequestMethod().equals("POST")) {
                exchange.getResponseHeaders().set("Allow", "POST");
                respond(exchange, 405, "events go to POST " + endpoint);
                return;
            }
            byte[] body = exchange.getRequestBody().readNBytes(MAX_BODY + 1);
            if (body.length > MAX_BODY) {
                respond(exchange, 413, "the event is larger than " + MAX_BODY + " bytes");
                return;
            }
            CloudEvent event;
            try {
                event = CloudEvent.fromHttp(exchange.getRequestHeaders(), body);
            } catch (IllegalArgumentException e) {
                respond(exchange, 400, e.getMessage() + " (send a CloudEvent 1.0 in HTTP binary or structured mode)");
                return;
            }
            if (!signature.verify(exchange.getRequestHeaders().getFirst(EventSignature.HEADER), event.id(), event.source(), event.type(),
                    event.subject(), body)) {
                LOG.warn("refused an unsigned or forged event type={} id={} from {}", event.type(), event.id(), exchange.getRemoteAddress());
                respond(exchange, 401, "the event has no valid " + EventSignature.HEADER + " header: only Merlai's own senders may post events here");
                return;
            }
            if (closed || pending.size() >= policy.maxPending()) {
                exchange.getResponseHeaders().set("Retry-After", "1");
                respond(exchange, 503, closed ? "the router is stopping" : "too many events in flight, try again");
                return;
            }
            LOG.info("accepted type={} id={} source={} subject={}", event.type(), event.id(), event.source(), event.subject());
            publish(event);
            respond(exchange, 202, "");
        } finally {
            exchange.close();
        }
    }

    /** {@code POST /dead-letters/<file>/replay}: {@link #replay(Path)} of a file in the dead-letter folder, answered 202. */
    private void handleReplay(HttpExchange exchange, String rest) throws IOException {
        String name = rest.endsWith(REPLAY_SUFFIX) ? rest.substring(0, rest.length() - REPLAY_SUFFIX.length()) : "";
        if (!DEAD_LETTER_NAME.matcher(name).matches()) {
            respond(exchange, 404, "replay a dead letter with POST " + endpoint.resolve(DEAD_LETTERS_PATH) + "<file>" + REPLAY_SUFFIX);
            return;
        }
        if (!exchange.getRequestMethod().equals("POST")) {
            exchange.getResponseHeaders().set("Allow", "POST");
            respond(exchange, 405, "replay with POST");
            return;
        }
        Path file = deadLetters.resolve(name);
        if (!Files.isRegularFile(file)) {
            respond(exchange, 404, "no dead letter " + name + " in " + deadLetters);
            return;
        }
        if (closed) {
            respond(exchange, 503, "the router is stopping");
            return;
        }
        try {
            replay(file);
        } catch (IOException e) {
            respond(exchange, 422, e.getMessage());
            return;
        }
        respond(exchange, 202, "");
    }

    private static void respond(HttpExchange exchange, int status, String text) throws IOException {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > 0) exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        if (bytes.length > 0) exchange.getResponseBody().write(bytes);
    }

    private static CompletableFuture<List<Outcome>> all(List<CompletableFuture<List<Outcome>>> futures) {
        return CompletableFuture.allOf(futures.toArray(CompletableFuture[]::new))
                .thenApply(done -> futures.stream().flatMap(future -> future.join().stream()).toList());
    }

    /** The start of a response body, for the dead letter's reason. */
    private static String answer(HttpResponse<byte[]> response) {
        String text = utf8(response.body());
        if (text == null || text.isBlank()) return "";
        text = text.strip();
        return ": " + (text.length() > 500 ? text.substring(0, 500) + "..." : text);
    }

    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static String safe(String id) {
        String safe = id.replaceAll("[^A-Za-z0-9._-]", "_");
        return safe.length() > 100 ? safe.substring(0, 100) : safe;
    }

    private static final class Delivery {
        final CloudEvent event;
        final URI target;
        final CompletableFuture<List<Outcome>> done = new CompletableFuture<>();
        final AtomicBoolean finished = new AtomicBoolean();
        volatile int attempts;
        volatile String lastStatus = "none";
        final long firstAttemptAt = System.nanoTime();

        Delivery(CloudEvent event, URI target) {
            this.event = event;
            this.target = target;
        }
    }
}
