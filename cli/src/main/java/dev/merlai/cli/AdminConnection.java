package dev.merlai.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merlai.local.AdminToken;
import dev.merlai.local.LocalSettings;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * How the operator's commands reach a Merlai: its HTTP API and the admin credential. By default the {@code merlai serve}
 * on this machine: {@code http://127.0.0.1:8080} and the token in {@code <data>/admin-token}.
 */
final class AdminConnection {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    @Option(names = "--url", paramLabel = "URL", description = "the Merlai HTTP API (default MERLAI_URL, else http://127.0.0.1:<MERLAI_HTTP_PORT or 8080>)")
    URI url;

    @Option(names = "--admin-token", paramLabel = "TOKEN", description = "the admin credential (default MERLAI_ADMIN_TOKEN, else the one merlai serve keeps in <data>/admin-token)")
    String adminToken;

    @Option(names = "--data", paramLabel = "DIR", description = "the merlai serve data folder holding admin-token (default MERLAI_DATA or <repository>/.merlai)")
    Path data;

    /** An answer of the admin API: its status and JSON body. */
    record Answer(int status, JsonNode body) {
        String problem() {
            return body.path("detail").asText(body.toString());
        }
    }

    Answer send(String method, String path, String jsonBody) throws IOException, InterruptedException {
        URI base = url;
        LocalSettings local = LocalSettings.fromEnvironment(System.getenv(), ServeCommand.defaultHome());
        if (base == null) base = URI.create(System.getenv().getOrDefault("MERLAI_URL", "http://127.0.0.1:" + local.httpPort()));
        String token = adminToken != null ? adminToken : System.getenv("MERLAI_ADMIN_TOKEN");
        if (token == null || token.isBlank()) {
            Path file = (data != null ? data : local.dataDir()).resolve(AdminToken.FILE);
            if (!Files.isRegularFile(file)) throw new IOException("no admin credential: give --admin-token or MERLAI_ADMIN_TOKEN, or --data of a merlai serve (no " + file + ")");
            token = Files.readString(file).strip();
        }
        HttpRequest request = HttpRequest.newBuilder(base.resolve(path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(jsonBody)).build();
        HttpResponse<String> response;
        try {
            response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            // the HTTP client's refused connection has no message of its own
            String why = e.getMessage() != null ? e.getMessage() : e instanceof java.net.ConnectException ? "connection refused" : e.getClass().getSimpleName();
            throw new IOException("cannot reach " + base + " (" + why + "); is merlai serve running?", e);
        }
        return new Answer(response.statusCode(), response.body().isBlank() ? MAPPER.createObjectNode() : MAPPER.readTree(response.body()));
    }
}
