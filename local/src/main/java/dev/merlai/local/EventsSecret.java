package dev.merlai.local;

import dev.merlai.embedded.LocalSecrets;

import java.io.IOException;
import java.nio.file.Path;

/**
 * The secret with which a {@code merlai serve}'s own event senders sign what they send
 * ({@link dev.merlai.events.EventSignature}): the inbox watcher, the event router and the functions (as
 * {@code MERLAI_EVENTS_SECRET}). Kept in {@code <data>/events-secret}, readable by its owner only, so a restart keeps
 * it and a test or the operator on the same machine can sign an event by hand.
 */
public final class EventsSecret {

    public static final String FILE = "events-secret";

    private EventsSecret() {
    }

    /** The secret in {@code dataDir}, made first if there is none. */
    public static String loadOrCreate(Path dataDir) throws IOException {
        return LocalSecrets.loadOrCreate(dataDir, FILE, "mre_");
    }
}
