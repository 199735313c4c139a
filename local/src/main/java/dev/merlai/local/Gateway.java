package dev.merlai.local;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * One origin for the public API and Merlai Studio on one machine, as the cluster's ingress gives them one host: each
 * request goes, by path prefix, to the function that serves it ({@link #routes}), unchanged (method, path and query as
 * sent, headers, body). The page at {@code /studio/} therefore talks to its own origin only.
 */
public final class Gateway implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(Gateway.class);
    /** Headers that belong to one connection, or that the client sets itself: never forwarded. */
    private static final Set<String> HOP_BY_HOP = Set.of("connection", "content-length", "expect", "host", "upgrade", "keep-alive",
            "transfer-encoding", "te", "trailer", "proxy-authorization", "proxy-connection");
    /** A completion is synchronous and may take minutes on a busy machine; the caller's own timeout decides before this. */
    private static final Duration UPSTREAM_TIMEOUT = Duration.ofMinutes(10);
    private static final int THREADS = 16;

    private final HttpServer server;
    private final ExecutorService executor;
    private final HttpClient client;
    private final Map<String, URI> routes;
    private final URI endpoint;

    private Gateway(HttpServer server, ExecutorService executor, Map<String, URI> routes) {
        this.server = server;
        this.executor = executor;
        this.routes = routes;
        this.client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofSeconds(5)).build();
        InetSocketAddress address = server.getAddress();
        this.endpoint = URI.create("http://" + address.getHostString() + ":" + address.getPort());
    }

    /**
     * The ingress's paths on one machine, most specific first: the training API ({@code /v1/training},
     * {@code /v1/training-sets}, {@code /v1/models}) to train-trigger, the plugin API ({@code /v1/plugins},
     * {@code /v1/plugin-preferences}, {@code /v1/plugin-feedback}, {@code /admin/plugins}) to recommend-plugin, the
     * account API ({@code /v1/usage}, {@code /v1/invoice}, {@code /admin/tenants}, {@code /admin/usage}) to account, the
     * bucket's paths to S3 (the pre-signed result links, whose signatures hold: the path and query travel unchanged),
     * and everything else ({@code /v1/*}, {@code /admin/*}, {@code /studio/}, {@code /q/openapi}) to complete.
     */
    public static Map<String, URI> routes(Map<String, URI> functionUrls, URI s3Endpoint, String bucket) {
        Map<String, URI> routes = new LinkedHashMap<>();
        URI train = functionUrls.get(LocalMerlai.TRAIN_TRIGGER);
        URI plugins = functionUrls.get(LocalMerlai.RECOMMEND_PLUGIN);
        URI account = functionUrls.get(LocalMerlai.ACCOUNT);
        if (train != null) {
            routes.put("/v1/training", train);
            routes.put("/v1/models", train);
        }
        if (plugins != null) {
            routes.put("/v1/plugin", plugins);
            routes.put("/admin/plugins", plugins);
        }
        if (account != null) {
            routes.put("/v1/usage", account);
            routes.put("/v1/invoice", account);
            routes.put("/admin/tenants", account);
            routes.put("/admin/usage", account);
        }
        routes.put("/" + bucket + "/", s3Endpoint);
        routes.put("/", functionUrls.get(LocalMerlai.COMPLETE));
        return routes;
    }

    /** The upstream base URL for a request path: the first route whose prefix it starts with. */
    static URI upstream(Map<String, URI> routes, String path) {
        for (Map.Entry<String, URI> route : routes.entrySet()) {
            if (path.startsWith(route.getKey())) return route.getValue();
        }
        throw new IllegalArgumentException("no route for " + path);
    }

    /** Listens on {@code host:port} (0: any free port) and forwards by {@code routes} (prefix to base URL, in order; one is {@code /}). */
    public static Gateway start(String host, int port, Map<String, URI> routes) throws IOException {
        if (!routes.containsKey("/")) throw new IllegalArgumentException("the gateway needs a route for / (complete)");
        HttpServer server = HttpServer.create(new InetSocketAddress(host, port), 64);
        ExecutorService executor = Executors.newFixedThreadPool(THREADS, task -> {
            Thread thread = new Thread(task, "merlai-gateway");
            thread.setDaemon(true);
            return thread;
        });
        Gateway gateway = new Gateway(server, executor, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(routes)));
        server.setExecutor(executor);
        server.createContext("/", gateway::forward);
        server.start();
        return gateway;
    }

    private void forward(HttpExchange exchange) throws IOException {
        try (exchange) {
            URI request = exchange.getRequestURI();
            String pathAndQuery = request.getRawPath() + (request.getRawQuery() == null ? "" : "?" + request.getRawQuery());
            URI base = upstream(routes, request.getRawPath());
            byte[] body;
            try (InputStream in = exchange.getRequestBody()) {
                body = in.readAllBytes();
            }
            HttpRequest.Builder upstream = HttpRequest.newBuilder(URI.create(base.getScheme() + "://" + base.getRawAuthority() + pathAndQuery))
                    .timeout(UPSTREAM_TIMEOUT)
                    .method(exchange.getRequestMethod(), body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            exchange.getRequestHeaders().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT))) values.forEach(value -> upstream.header(name, value));
            });
            HttpResponse<byte[]> answer;
            try {
                answer = client.send(upstream.build(), HttpResponse.BodyHandlers.ofByteArray());
            } catch (IOException unreachable) {
                LOG.warn("gateway: {} {} -> {} failed: {}", exchange.getRequestMethod(), request.getRawPath(), base, unreachable.toString());
                unavailable(exchange, base);
                return;
            }
            answer.headers().map().forEach((name, values) -> {
                if (!HOP_BY_HOP.contains(name.toLowerCase(Locale.ROOT)) && !name.startsWith(":")) exchange.getResponseHeaders().put(name, values);
            });
            byte[] content = answer.body();
            boolean bodiless = exchange.getRequestMethod().equals("HEAD") || answer.statusCode() == 204 || answer.statusCode() == 304;
            exchange.sendResponseHeaders(answer.statusCode(), bodiless || content.length == 0 ? -1 : content.length);
            if (!bodiless && content.length > 0) {
                try (OutputStream out = exchange.getResponseBody()) {
                    out.write(content);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** 502 problem: the function behind this path does not answer now (being restarted, or not started). */
    private static void unavailable(HttpExchange exchange, URI base) throws IOException {
        byte[] problem = ("{\"type\":\"https://merlai.dev/problems/upstream-unavailable\",\"title\":\"Service unavailable\",\"status\":502,"
                + "\"detail\":\"the service behind this path (" + base + ") does not answer; try again shortly\"}").getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().put("Content-Type", List.of("application/problem+json"));
        exchange.getResponseHeaders().put("Retry-After", List.of("5"));
        exchange.sendResponseHeaders(502, problem.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(problem);
        }
    }

    /** {@code http://host:port}, the one origin of the API and the Studio. */
    public URI endpoint() {
        return endpoint;
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
