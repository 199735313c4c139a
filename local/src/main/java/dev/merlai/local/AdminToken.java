package dev.merlai.local;

import dev.merlai.embedded.LocalSecrets;

import java.io.IOException;
import java.nio.file.Path;

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
        return LocalSecrets.loadOrCreate(dataDir, FILE, "mra_");
    }
}
