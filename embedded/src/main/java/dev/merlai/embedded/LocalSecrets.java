package dev.merlai.embedded;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * The secrets of a {@code merlai serve}, each a random token in a file of the data folder that only its owner can
 * read, made on the first start and kept after, so a restart (and the CLI on the same machine) finds the same one.
 */
public final class LocalSecrets {

    private static final SecureRandom RANDOM = new SecureRandom();

    private LocalSecrets() {
    }

    /** The token in {@code <dataDir>/<file>}, made first (with {@code prefix}) if there is none. */
    public static String loadOrCreate(Path dataDir, String file, String prefix) throws IOException {
        Path path = dataDir.resolve(file);
        if (Files.isRegularFile(path)) return Files.readString(path, StandardCharsets.UTF_8).strip();
        Files.createDirectories(dataDir);
        String token = random(prefix);
        Files.createFile(path, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(path, token + "\n", StandardCharsets.UTF_8);
        return token;
    }

    /** {@code prefix} and 32 random bytes, base64url. */
    public static String random(String prefix) {
        byte[] secret = new byte[32];
        RANDOM.nextBytes(secret);
        return prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }
}
