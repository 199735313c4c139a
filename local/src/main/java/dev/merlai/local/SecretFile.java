package dev.merlai.local;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/** A random secret kept in a file readable by its owner only: made on first use, the same one after. */
final class SecretFile {

    private SecretFile() {
    }

    /** The secret in {@code file}, made first ({@code prefix} + 32 random bytes, base64url) if there is none. */
    static String loadOrCreate(Path file, String prefix) throws IOException {
        if (Files.isRegularFile(file)) return Files.readString(file, StandardCharsets.UTF_8).strip();
        Files.createDirectories(file.getParent());
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String value = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(file, value + "\n", StandardCharsets.UTF_8);
        return value;
    }
}
