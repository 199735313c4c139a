package dev.merlai.tenancy;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tenants and API keys against a real S3 server and Redis. */
class TenantRegistryTest {

    @TempDir
    static Path data;
    private static RealServers servers;
    private static TenantRegistry registry;

    @BeforeAll
    static void start() throws Exception {
        servers = new RealServers(data);
        registry = new TenantRegistry(servers.store(), servers.newRedisClient(), RealServers.PLANS, Clock.systemUTC());
    }

    @AfterAll
    static void stop() {
        servers.close();
    }

    @Test
    void anIssuedKeyAuthenticatesItsTenantAndOnlyItsHashIsStored() {
        TenantRegistry.IssuedKey issued = registry.issueKey("acme", null);
        assertTrue(issued.apiKey().startsWith("mrl_") && issued.apiKey().length() >= 40, issued.apiKey());
        assertEquals("free", issued.tenant().plan());
        assertEquals("acme", registry.authenticate(issued.apiKey()).orElseThrow().id());
        assertEquals("acme", registry.authenticate(issued.apiKey()).orElseThrow().id(), "the cached answer is the same");
        for (String key : servers.store().list("system/")) {
            String stored = new String(servers.store().get(key).orElseThrow(), StandardCharsets.UTF_8);
            assertFalse(stored.contains(issued.apiKey().substring(4)), "the key itself is stored nowhere: " + key);
        }
    }

    @Test
    void unknownAndMalformedKeysAuthenticateNobody() {
        assertTrue(registry.authenticate(null).isEmpty());
        assertTrue(registry.authenticate("").isEmpty());
        assertTrue(registry.authenticate("mrl_guessed").isEmpty());
        assertTrue(registry.authenticate("Bearer something").isEmpty());
    }

    @Test
    void revokingATenantStopsEveryKeyAtOnceEvenWhenCached() {
        String first = registry.issueKey("revoked-co", null).apiKey();
        String second = registry.issueKey("revoked-co", null).apiKey();
        assertNotEquals(first, second);
        assertTrue(registry.authenticate(first).isPresent());
        assertTrue(registry.authenticate(second).isPresent());
        registry.revoke("revoked-co");
        assertTrue(registry.authenticate(first).isEmpty());
        assertTrue(registry.authenticate(second).isEmpty());
        assertThrows(IllegalArgumentException.class, () -> registry.issueKey("revoked-co", null), "a revoked id is not reused");
        assertEquals("revoked", registry.list().stream().filter(t -> t.id().equals("revoked-co")).findFirst().orElseThrow().summary().get("state").asText());
    }

    @Test
    void anotherKeyWithAPlanMovesTheTenantAndEveryKeySeesItAtOnce() {
        String first = registry.issueKey("growing", null).apiKey();
        assertEquals("free", registry.authenticate(first).orElseThrow().plan()); // now cached
        String second = registry.issueKey("growing", "pro").apiKey();
        assertEquals("pro", registry.authenticate(first).orElseThrow().plan());
        assertEquals("pro", registry.authenticate(second).orElseThrow().plan());
        registry.issueKey("growing", null);
        assertEquals("pro", registry.find("growing").orElseThrow().plan(), "no plan given: the plan stays");
    }

    @Test
    void badTenantIdsAndUnknownPlansAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> registry.issueKey("../etc", null));
        assertThrows(IllegalArgumentException.class, () -> registry.issueKey("fine", "platinum"));
    }
}
