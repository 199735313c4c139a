package dev.merlai.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.merlai.local.LocalMerlai;
import dev.merlai.local.LocalSettings;
import dev.merlai.storage.ObjectStore;
import dev.merlai.storage.S3Settings;

import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Merlai as {@code merlai serve} runs it, for the tests here: started on free ports, with the operator's tools. */
final class LocalRun {

    private LocalRun() {
    }

    /** The repository root. */
    static Path repo() {
        return Path.of(System.getProperty("merlai.repo.root", "..")).toAbsolutePath();
    }

    /** Starts everything with its state in {@code data}. */
    static LocalMerlai start(Path data) throws Exception {
        return LocalMerlai.start(LocalSettings.ephemeral(repo(), data));
    }

    /** A client for the bucket, with the operator's credentials (the caller closes it). */
    static ObjectStore store(LocalMerlai merlai) {
        LocalSettings settings = merlai.settings();
        return new ObjectStore(new S3Settings(merlai.s3Endpoint(), "us-east-1", settings.accessKey(), settings.secretKey(), merlai.bucket()));
    }

    /** Creates a tenant as the operator does, through the admin API with merlai serve's admin token; returns its API key. */
    static String createTenant(LocalMerlai merlai, String tenant) throws Exception {
        HttpResponse<String> created = HttpClient.newHttpClient().send(HttpRequest.newBuilder(merlai.functionUrl(LocalMerlai.ACCOUNT).resolve("/admin/tenants"))
                .header("Authorization", "Bearer " + merlai.adminToken()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"tenant\": \"" + tenant + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(201, created.statusCode(), created.body());
        return new ObjectMapper().readTree(created.body()).get("apiKey").asText();
    }
}
