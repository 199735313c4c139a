package dev.merlai.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The operator's credential of a {@code merlai serve}: a random token kept in {@code <data>/admin-token} (readable
 * by its owner only), made on the first start and kept after, so {@code merlai tenants ...} on the same machine
 * finds it without being told.
 */
public final class AdminToken {

    public static final String FILE = "admin-token";

    private AdminToken() {
    }

    /** The token in {@code dataDir}, made first if there is none. */
    public static String loadOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (Files.isRegularFile(file)) return Files.readString(file, StandardCharsets.UTF_8).strip();
        Files.createDirectories(dataDir);
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String token = "mra_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
        return token;
    }
}
