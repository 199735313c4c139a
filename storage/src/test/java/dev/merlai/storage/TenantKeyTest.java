package dev.merlai.storage;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** A key is checked by its text alone: what any object store could resolve to another object is refused. */
class TenantKeyTest {

    private static final Set<String> INBOX_AND_RESULTS = Set.of("inbox", "results");

    @Test
    void aTenantsOwnKeysAreAccepted() {
        assertEquals(new TenantKey("alpha", "inbox", "tenants/alpha/inbox/song.mid"), TenantKey.owned("alpha", "tenants/alpha/inbox/song.mid", INBOX_AND_RESULTS));
        assertEquals("results", TenantKey.owned("alpha", "tenants/alpha/results/j1/arrangement.json", INBOX_AND_RESULTS).area());
        assertEquals("✓ Lied 歌.mid", TenantKey.owned("alpha", "tenants/alpha/inbox/✓ Lied 歌.mid", INBOX_AND_RESULTS).name());
        assertEquals("a..b.mid", TenantKey.parse("tenants/alpha/inbox/a..b.mid").name(), "dots inside a name are no path step");
        assertEquals("𝄞.mid", TenantKey.parse("tenants/alpha/inbox/𝄞.mid").name(), "a character outside the BMP is a surrogate pair");
        String longest = "x".repeat(TenantKey.MAX_SEGMENT_BYTES - 4) + ".mid";
        assertEquals(longest, TenantKey.parse("tenants/alpha/inbox/" + longest).name());
    }

    @Test
    void pathTricksEncodingsAndOthersKeysAreRefused() {
        List<String> refused = List.of(
                "tenants/alpha/../beta/inbox/x.mid", "tenants/alpha/inbox/../../beta/inbox/x.mid", "tenants/alpha//../beta/inbox/x.mid",
                "tenants/alpha/inbox//x.mid", "tenants/alpha/inbox/./x.mid", "/tenants/alpha/inbox/x.mid", "tenants/alpha/inbox/",
                "tenants/alpha/inbox/%2e%2e/%2E%2E/beta/inbox/x.mid", "tenants/alpha/inbox/..%2F..%2Fbeta%2Finbox%2Fx.mid",
                "tenants/alpha/inbox/..\\..\\beta\\inbox\\x.mid", "tenants/alpha/inbox/x.mid\u0000", "tenants/alpha/inbox/x\n.mid",
                "Tenants/alpha/inbox/x.mid", "tenants/Alpha/inbox/x.mid", "tenants/beta/inbox/x.mid", "tenants/alpha/training/set/x.mid",
                "system/tenants/alpha.json", "tenants/alpha", "", "tenants/alpha/inbox/" + "x".repeat(TenantKey.MAX_LENGTH) + ".mid",
                "tenants/alpha/inbox/\uD800.mid", "tenants/alpha/inbox/x\uDC00.mid", "tenants/alpha/inbox/" + "x".repeat(TenantKey.MAX_SEGMENT_BYTES - 3) + ".mid",
                "tenants/alpha/inbox/" + "歌".repeat(TenantKey.MAX_SEGMENT_BYTES / 3) + ".mid");
        for (String key : refused) {
            assertThrows(IllegalArgumentException.class, () -> TenantKey.owned("alpha", key, INBOX_AND_RESULTS), key);
        }
        assertThrows(IllegalArgumentException.class, () -> TenantKey.owned("alpha", null, INBOX_AND_RESULTS));
    }

    @Test
    void anotherTenantsKeyAndAMalformedOneSayTheSameAboutWhatIsAllowed() {
        String other = assertThrows(IllegalArgumentException.class, () -> TenantKey.owned("alpha", "tenants/beta/inbox/x.mid", INBOX_AND_RESULTS)).getMessage();
        String system = assertThrows(IllegalArgumentException.class, () -> TenantKey.owned("alpha", "system/tenants/beta.json", INBOX_AND_RESULTS)).getMessage();
        assertEquals("the key must name an object of yours under tenants/alpha/inbox/ or tenants/alpha/results/", other);
        assertEquals(other, assertThrows(IllegalArgumentException.class, () -> TenantKey.owned("alpha", "tenants/beta/inbox/y.mid", INBOX_AND_RESULTS)).getMessage());
        assertEquals("the key must be tenants/<tenant>/<folder>/<name>; " + other, system);
    }

    @Test
    void theInboxWatcherRaisesOnlyPlainUploadsOfOneTenant() {
        assertEquals("alpha", StorageLayout.inboxTenant("tenants/alpha/inbox/song.mid"));
        assertEquals("alpha", StorageLayout.inboxTenant("tenants/alpha/inbox/✓ 歌.musicxml"));
        assertNull(StorageLayout.inboxTenant("tenants/alpha/inbox/../../beta/inbox/song.mid"));
        assertNull(StorageLayout.inboxTenant("tenants/alpha/inbox/..%2F..%2Fbeta%2Finbox%2Fsong.mid"));
        assertNull(StorageLayout.inboxTenant("tenants/alpha/inbox/sub/song.mid"));
        assertNull(StorageLayout.inboxTenant("tenants/alpha/inbox/notes.txt"));
        assertNull(StorageLayout.inboxTenant("tenants/alpha/results/j1/arrangement.json"));
        assertNull(StorageLayout.inboxTenant("tenants/alpha/inbox/x\u0007.mid"));
    }
}
