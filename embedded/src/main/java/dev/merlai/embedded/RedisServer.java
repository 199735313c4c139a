package dev.merlai.embedded;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A real Redis on one machine: Debian's {@code /usr/bin/redis-server} started as its own process on a loopback
 * address, stopped on {@link #close()}. Without a data folder it keeps nothing ({@code --save '' --appendonly no});
 * with one it writes an append-only file there. Its log goes to {@code redis.log} in the data folder, or to a
 * temporary file that {@link #close()} deletes.
 *
 * <p>It always asks for a password ({@code requirepass}, handed over on standard input, never on the command line
 * where {@code ps} shows it): whoever reaches the port without it can neither read nor plant anything.
 */
public final class RedisServer implements ChildProcess {

    /** Where Debian's {@code redis-server} package puts the server; system property {@code merlai.redis.server} overrides it. */
    public static final String DEFAULT_EXECUTABLE = "/usr/bin/redis-server";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

    private final Process process;
    private final String host;
    private final int port;
    private final String password;
    private final Path log;
    private final boolean temporaryLog;

    private RedisServer(Process process, String host, int port, String password, Path log, boolean temporaryLog) {
        this.process = process;
        this.host = host;
        this.port = port;
        this.password = password;
        this.log = log;
        this.temporaryLog = temporaryLog;
    }

    /** Starts a Redis that keeps nothing on {@code host:port} (port 0 = any free port) with a random password, and waits until it answers PING. */
    public static RedisServer start(String host, int port) throws IOException {
        return start(host, port, null, LocalSecrets.random("mrr_"));
    }

    /**
     * Starts Redis on {@code host:port} (port 0 = any free port) and waits until it answers PING.
     *
     * @param dataDir  where the append-only file goes, created if missing; null keeps nothing
     * @param password what clients must send ({@code AUTH}); printable ASCII without spaces or quotes
     * @throws IOException when {@code redis-server} is not installed, exits, or does not answer within 20 s
     */
    public static RedisServer start(String host, int port, Path dataDir, String password) throws IOException {
        if (!password.matches("[!#-&(-~]{16,}")) throw new IllegalArgumentException("a Redis password needs 16 or more printable characters, no spaces or quotes");
        Path executable = Path.of(System.getProperty("merlai.redis.server", DEFAULT_EXECUTABLE));
        if (!Files.isExecutable(executable)) {
            throw new IOException("Redis is not installed: " + executable + " is missing (run scripts/install-packages)");
        }
        int chosenPort = port == 0 ? ChildProcess.freePort() : port;
        // "-" reads the configuration from standard input as well: the password goes there, not into the process list.
        List<String> command = new ArrayList<>(List.of(executable.toString(), "-", "--bind", host, "--port", String.valueOf(chosenPort),
                "--daemonize", "no", "--save", ""));
        Path log;
        if (dataDir == null) {
            command.addAll(List.of("--appendonly", "no"));
            log = Files.createTempFile("merlai-redis", ".log");
        } else {
            Files.createDirectories(dataDir);
            command.addAll(List.of("--appendonly", "yes", "--dir", dataDir.toAbsolutePath().toString()));
            log = dataDir.resolve("redis.log");
        }
        Process process = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                .start();
        try (OutputStream config = process.getOutputStream()) {
            config.write(("requirepass " + password + "\n").getBytes(StandardCharsets.US_ASCII));
        }
        RedisServer server = new RedisServer(process, host, chosenPort, password, log, dataDir == null);
        try {
            server.awaitReady();
        } catch (IOException | RuntimeException e) {
            String tail = ChildProcess.logTail(log);
            server.close();
            throw new IOException(e.getMessage() + (tail.isEmpty() ? "" : "; its log ends:\n" + tail), e);
        }
        return server;
    }

    /** Sends PING over RESP and tells whether the answer was {@code +PONG}; waits at most 1 s. */
    public boolean ping() {
        try {
            return command("PING").equals("+PONG");
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Signs in, sends one inline command and reads the first line of the answer, or the whole of a bulk-string answer
     * ({@code $<length>}); waits at most 1 s.
     */
    private String command(String command) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 1000);
            socket.setSoTimeout(1000);
            OutputStream out = socket.getOutputStream();
            out.write(("AUTH " + password + "\r\n" + command + "\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            String auth = line(in);
            if (!auth.equals("+OK")) throw new IOException("Redis on " + host + ":" + port + " refused the password: " + auth);
            String first = line(in);
            if (!first.startsWith("$")) return first;
            int length = Integer.parseInt(first.substring(1));
            return length < 0 ? "" : new String(in.readNBytes(length), StandardCharsets.UTF_8);
        }
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int c = in.read(); c != -1 && c != '\n'; c = in.read()) {
            if (c != '\r') line.append((char) c);
        }
        return line.toString();
    }

    private void awaitReady() throws IOException {
        awaitReady("Redis on " + host + ":" + port, START_TIMEOUT, Duration.ofMillis(50), this::ping);
        checkOwnProcess();
    }

    /** Fails when what answers on the port is another Redis (one already running there), not the process started here. */
    private void checkOwnProcess() throws IOException {
        String info = command("INFO server");
        for (String line : info.split("\r?\n")) {
            if (line.startsWith("process_id:") && !line.substring("process_id:".length()).strip().equals(String.valueOf(process.pid()))) {
                throw new IOException("another Redis (" + line + ") already listens on " + host + ":" + port
                        + "; stop it, choose another port, or use it as it is (--redis-url)");
            }
        }
    }

    /** {@code redis://host:port}, as {@code quarkus.redis.hosts} takes it; the password goes separately ({@link #password()}). */
    public URI url() {
        return URI.create("redis://" + host + ":" + port);
    }

    /** {@code redis://:password@host:port}, for a client that takes the password in the URL (Vert.x's {@code Redis.createClient}). */
    public String urlWithPassword() {
        return "redis://:" + password + "@" + host + ":" + port;
    }

    public String password() {
        return password;
    }

    public int port() {
        return port;
    }

    @Override
    public Process process() {
        return process;
    }

    /** Stops the server (SIGTERM, then SIGKILL after 10 s) and waits for it, so its port is free again. */
    @Override
    public void close() {
        ChildProcess.stop(process, 10);
        if (temporaryLog) {
            try {
                Files.deleteIfExists(log);
            } catch (IOException ignored) {
                // a temporary file; the OS cleans up
            }
        }
    }
}
