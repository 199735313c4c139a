package dev.merlai.local;

import dev.merlai.embedded.S3ProxyServer;

import dev.merlai.embedded.ChildProcess;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.merlai.storage.ObjectStore;
import dev.merlai.storage.S3Settings;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@DisplayName("The gateway: one origin for every function's public API, the Studio and the result links")
class GatewayTest {

    private static final URI COMPLETE = URI.create("http://127.0.0.1:18080");
    private static final URI PLUGINS = URI.create("http://127.0.0.1:18082");
    private static final URI TRAIN = URI.create("http://127.0.0.1:18083");
    private static final URI ACCOUNT = URI.create("http://127.0.0.1:18084");
    private static final URI S3 = URI.create("http://127.0.0.1:19000");
    private static final Map<String, URI> FUNCTIONS = Map.of(LocalMerlai.COMPLETE, COMPLETE, LocalMerlai.RECOMMEND_PLUGIN, PLUGINS,
            LocalMerlai.TRAIN_TRIGGER, TRAIN, LocalMerlai.ACCOUNT, ACCOUNT);

    private S3ProxyServer s3;
    private Gateway gateway;

    @AfterEach
    void stop() {
        if (gateway != null) gateway.close();
        if (s3 != null) s3.close();
    }

    @Test
    @DisplayName("sends each path to the function that serves it, as the cluster's ingress does")
    void routesByPath() {
        Map<String, URI> routes = Gateway.routes(FUNCTIONS, S3, "merlai");
        assertEquals(TRAIN, Gateway.upstream(routes, "/v1/training"));
        assertEquals(TRAIN, Gateway.upstream(routes, "/v1/training/m3f2a9c0d4e5b6a7c"));
        assertEquals(TRAIN, Gateway.upstream(routes, "/v1/training-sets/my-songs/ballad.mid"));
        assertEquals(TRAIN, Gateway.upstream(routes, "/v1/models"));
        assertEquals(PLUGINS, Gateway.upstream(routes, "/v1/plugins"));
        assertEquals(PLUGINS, Gateway.upstream(routes, "/v1/plugin-preferences"));
        assertEquals(PLUGINS, Gateway.upstream(routes, "/v1/plugin-feedback"));
        assertEquals(PLUGINS, Gateway.upstream(routes, "/admin/plugins/vital"));
        for (String path : new String[]{"/v1/usage", "/v1/usage/events", "/v1/invoice", "/admin/tenants", "/admin/tenants/acme", "/admin/usage/reconcile"}) {
            assertEquals(ACCOUNT, Gateway.upstream(routes, path), path);
        }
        assertEquals(S3, Gateway.upstream(routes, "/merlai/tenants/acme/results/j1/arrangement.mid"));
        for (String path : new String[]{"/v1/completions", "/v1/jobs/j1", "/studio/", "/studio/assets/index.js",
                "/q/openapi", "/"}) {
            assertEquals(COMPLETE, Gateway.upstream(routes, path), path);
        }
    }

    @Test
    @DisplayName("a pre-signed result link, made for S3's own address, is served through the gateway with its signature intact")
    void presignedLinkThroughTheGateway(@TempDir Path data) throws Exception {
        s3 = S3ProxyServer.start(data, "127.0.0.1", 0, "merlai", "merlai-secret");
        try (ObjectStore store = new ObjectStore(new S3Settings(s3.endpoint(), S3ProxyServer.REGION, "merlai", "merlai-secret", "merlai"))) {
            store.ensureBucket();
            store.put("tenants/acme/results/j1/arrangement.json", "{\"tracks\": []}".getBytes(StandardCharsets.UTF_8), "application/json");
            URI link = store.presignGet("tenants/acme/results/j1/arrangement.json", Duration.ofMinutes(15)).toURI();
            gateway = Gateway.start("127.0.0.1", 0, Gateway.routes(Map.of(LocalMerlai.COMPLETE, COMPLETE), s3.endpoint(), "merlai"));

            HttpResponse<String> answer = get(gateway.endpoint().resolve(link.getRawPath() + "?" + link.getRawQuery()));
            assertEquals(200, answer.statusCode());
            assertEquals("{\"tracks\": []}", answer.body());

            HttpResponse<String> tampered = get(gateway.endpoint().resolve(link.getRawPath().replace("j1", "j2") + "?" + link.getRawQuery()));
            assertEquals(403, tampered.statusCode(), "the signature still guards the link");
        }
    }

    @Test
    @DisplayName("a function that does not answer is a 502 problem with Retry-After, not a hang or a dropped connection")
    void functionDown() throws Exception {
        gateway = Gateway.start("127.0.0.1", 0, Gateway.routes(Map.of(LocalMerlai.COMPLETE, URI.create("http://127.0.0.1:" + ChildProcess.freePort())),
                S3, "merlai"));
        HttpResponse<String> answer = get(gateway.endpoint().resolve("/v1/jobs"));
        assertEquals(502, answer.statusCode());
        assertEquals("application/problem+json", answer.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("5", answer.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(answer.body().contains("\"type\":\"https://merlai.dev/problems/upstream-unavailable\""), answer.body());
    }

    private static HttpResponse<String> get(URI uri) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
