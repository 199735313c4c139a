package dev.merlai.local;

import dev.merlai.embedded.RedisServer;

import dev.merlai.embedded.ChildProcess;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One Merlai function (a Quarkus fast-jar, {@code quarkus-run.jar}) running as its own process, as a pod runs it in
 * the cluster; its output goes to a log file.
 */
final class FunctionProcess implements ChildProcess {

    /** The JVM flags every function runs with: DJL offline and without telemetry, Gervill's offline synthesizer open. */
    static final List<String> JVM_FLAGS = List.of("-DOPT_OUT_TRACKING=true", "-Dai.djl.offline=true",
            "--add-exports", "java.desktop/com.sun.media.sound=ALL-UNNAMED");

    private final String name;
    private final Process process;
    private final URI url;
    private final Path log;

    private FunctionProcess(String name, Process process, URI url, Path log) {
        this.name = name;
        this.process = process;
        this.url = url;
        this.log = log;
    }

    /**
     * Starts {@code java -Xmx<heap> -jar jar} in {@code workDir}, listening on {@code host:port}, with {@code env} added to
     * this process's environment; does not wait for it (see {@link #awaitReady(long)}).
     */
    static FunctionProcess start(String name, Path jar, Path workDir, String host, int port, String heap, Map<String, String> env, Path log)
            throws IOException {
        Files.createDirectories(log.getParent());
        List<String> command = new java.util.ArrayList<>();
        command.add(ChildProcess.javaExecutable());
        command.add("-Xmx" + heap);
        command.addAll(JVM_FLAGS);
        aotCache(jar).ifPresent(cache -> command.add("-XX:AOTCache=" + cache));
        Path onnxRuntime = jar.resolveSibling("onnxruntime");
        // ONNX Runtime's native libraries unpacked by the build (complete's pom): loaded from there, not copied out of the jar
        if (Files.isDirectory(onnxRuntime)) command.add("-Donnxruntime.native.path=" + onnxRuntime);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .directory(workDir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().putAll(env);
        builder.environment().put("QUARKUS_HTTP_HOST", host);
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(port));
        // the functions' own property names for the same settings, so an inherited value cannot disagree
        builder.environment().put("MERLAI_HTTP_HOST", host);
        builder.environment().put("MERLAI_HTTP_PORT", String.valueOf(port));
        return new FunctionProcess(name, builder.start(), URI.create("http://" + host + ":" + port), log);
    }

    /**
     * The function's AOT cache ({@code app.aot} beside its jar, trained by {@code scripts/aot-cache}) when this JVM can
     * use it: Java 25 or newer, and the cache is newer than the jar (a cache of an older jar would be refused by the JVM).
     */
    static Optional<Path> aotCache(Path jar) throws IOException {
        Path cache = jar.resolveSibling("app.aot");
        if (Runtime.version().feature() < 25 || !Files.isRegularFile(cache)) return Optional.empty();
        return Files.getLastModifiedTime(cache).compareTo(Files.getLastModifiedTime(jar)) > 0 ? Optional.of(cache) : Optional.empty();
    }

    /**
     * Waits until {@code GET /q/health/ready} answers 200.
     *
     * @param timeoutMs the limit, in ms
     * @throws IOException when the process exits first or the limit passes; the message ends with its log's last lines
     */
    void awaitReady(long timeoutMs) throws IOException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
        HttpRequest ready = HttpRequest.newBuilder(url.resolve("/q/health/ready")).timeout(Duration.ofSeconds(5)).GET().build();
        int[] lastStatus = {-1};
        try {
            awaitReady("the " + name + " function on " + url, Duration.ofMillis(timeoutMs), Duration.ofMillis(250), () -> {
                try {
                    lastStatus[0] = client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    return false;
                }
                return lastStatus[0] == 200;
            });
        } catch (IOException e) {
            throw new IOException(e.getMessage() + " (last status " + lastStatus[0] + "); " + log + " ends:\n" + ChildProcess.logTail(log), e);
        }
    }

    String name() {
        return name;
    }

    /** {@code http://host:port}. */
    URI url() {
        return url;
    }

    Path log() {
        return log;
    }

    @Override
    public Process process() {
        return process;
    }

    /** Stops the function (SIGTERM, so Quarkus shuts down gracefully; SIGKILL after 15 s) and waits for it. */
    @Override
    public void close() {
        ChildProcess.stop(process, 15);
    }
}
