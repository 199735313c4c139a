package dev.merlai.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;

/**
 * A real S3-protocol server on one machine: S3Proxy with its filesystem backend, started as its own process
 * (as MinIO is its own process in a cluster) and stopped on {@link #close()}.
 *
 * <p>The S3Proxy jar comes from the build: system property {@code merlai.s3proxy.jar}, else the local
 * Maven repository, where the {@code merlai-embedded} module's build put it.
 */
public final class S3ProxyServer implements ChildProcess {

    public static final String VERSION = "4.1.0";
    /** The signing region S3Proxy accepts. */
    public static final String REGION = "us-east-1";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final URI endpoint;
    private final String accessKey;
    private final String secretKey;

    private S3ProxyServer(Process process, URI endpoint, String accessKey, String secretKey) {
        this.process = process;
        this.endpoint = endpoint;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
    }

    /**
     * Starts S3Proxy on {@code host:port} (port 0 = any free port) storing objects under {@code dataDir}, and
     * waits until it answers.
     */
    public static S3ProxyServer start(Path dataDir, String host, int port, String accessKey, String secretKey) throws IOException {
        Files.createDirectories(dataDir);
        int chosenPort = port == 0 ? ChildProcess.freePort() : port;
        URI endpoint = URI.create("http://" + host + ":" + chosenPort);
        Path config = Files.createTempFile("merlai-s3proxy", ".conf");
        Files.writeString(config, String.join("\n",
                "s3proxy.endpoint=" + endpoint,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + accessKey,
                "s3proxy.credential=" + secretKey,
                "jclouds.provider=filesystem",
                "jclouds.filesystem.basedir=" + dataDir.toAbsolutePath(), ""));
        Path logback = Files.createTempFile("merlai-s3proxy-logback", ".xml");
        try (InputStream in = S3ProxyServer.class.getResourceAsStream("s3proxy-logback.xml")) {
            Files.copy(in, logback, StandardCopyOption.REPLACE_EXISTING);
        }
        config.toFile().deleteOnExit();
        logback.toFile().deleteOnExit();
        Process process = new ProcessBuilder(List.of(ChildProcess.javaExecutable(), "-Xmx256m", "-Dlogback.configurationFile=" + logback,
                "-jar", jar().toString(), "--properties", config.toString()))
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        S3ProxyServer server = new S3ProxyServer(process, endpoint, accessKey, secretKey);
        try {
            server.awaitReady();
        } catch (IOException | RuntimeException e) {
            server.close();
            throw e;
        }
        return server;
    }

    /** The S3Proxy jar with its dependencies. */
    public static Path jar() throws IOException {
        String configured = System.getProperty("merlai.s3proxy.jar", System.getenv("MERLAI_S3PROXY_JAR"));
        Path jar = configured != null && !configured.isBlank() ? Path.of(configured)
                : Path.of(System.getProperty("user.home"), ".m2", "repository", "org", "gaul", "s3proxy", VERSION,
                "s3proxy-" + VERSION + "-jar-with-dependencies.jar");
        if (!Files.isRegularFile(jar)) throw new IOException("S3Proxy is not built: " + jar + " is missing (run scripts/build)");
        return jar;
    }

    private void awaitReady() throws IOException {
        awaitReady("S3Proxy on " + endpoint, START_TIMEOUT, Duration.ofMillis(200), () -> {
            HttpURLConnection connection = (HttpURLConnection) endpoint.toURL().openConnection();
            connection.setConnectTimeout(500);
            connection.setReadTimeout(1000);
            connection.getResponseCode(); // any HTTP answer (403 for an anonymous call) means it serves
            connection.disconnect();
            return true;
        });
    }

    public URI endpoint() {
        return endpoint;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    @Override
    public Process process() {
        return process;
    }

    /** Stops the process and waits for it, so its port is free again. */
    @Override
    public void close() {
        ChildProcess.stop(process, 10);
    }
}
