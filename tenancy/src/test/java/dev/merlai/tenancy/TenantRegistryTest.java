package dev.merlai.tenancy;

import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

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
    private static final byte[] CACHE_SECRET = "a secret of the functions, not of Redis".getBytes(StandardCharsets.UTF_8);
    private static TenantRegistry registry;
    private static Redis redis;

    @BeforeAll
    static void start() throws Exception {
        servers = new RealServers(data);
        redis = servers.newRedisClient();
        registry = new TenantRegistry(servers.store(), redis, RealServers.PLANS, Clock.systemUTC(), CACHE_SECRET);
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
    void anEntryPlantedInRedisAuthenticatesNobody() {
        Tenant victim = registry.issueKey("victim", "pro").tenant();
        String forgedKey = "mrl_chosen-by-whoever-reached-redis";
        String victimJson = new String(victim.toJson(), StandardCharsets.UTF_8);
        for (String planted : List.of(victimJson, "unsigned." + victimJson, "c2lnbmVkIHdpdGggYW5vdGhlciBzZWNyZXQ." + victimJson)) {
            RedisCommands.send(redis, Request.cmd(Command.SET).arg("merlai:key:" + TenantRegistry.hash(forgedKey)).arg(planted));
            assertTrue(registry.authenticate(forgedKey).isEmpty(), "planted: " + planted.substring(0, 20));
        }
        // a replica with another secret does not take this one's entries either
        String realKey = registry.issueKey("victim", null).apiKey();
        assertEquals("victim", registry.authenticate(realKey).orElseThrow().id()); // cached now, signed
        TenantRegistry otherSecret = new TenantRegistry(servers.store(), redis, RealServers.PLANS, Clock.systemUTC(),
                "another replica's own secret".getBytes(StandardCharsets.UTF_8));
        assertEquals("victim", otherSecret.authenticate(realKey).orElseThrow().id(), "it asks the store, which knows the key");
    }

    @Test
    void aSignedEntryAlteredInRedisIsIgnoredAndTheStoreAnswers() {
        String key = registry.issueKey("honest", null).apiKey();
        registry.issueKey("rich", "pro");
        assertEquals("honest", registry.authenticate(key).orElseThrow().id()); // now cached
        String cacheKey = "merlai:key:" + TenantRegistry.hash(key);
        String entry = RedisCommands.send(redis, Request.cmd(Command.GET).arg(cacheKey)).toString();
        String altered = entry.replace("\"honest\"", "\"rich\"").replace("\"free\"", "\"pro\"");
        assertNotEquals(entry, altered);
        RedisCommands.send(redis, Request.cmd(Command.SET).arg(cacheKey).arg(altered));
        Tenant tenant = registry.authenticate(key).orElseThrow();
        assertEquals("honest", tenant.id());
        assertEquals("free", tenant.plan());
    }

    @Test
    void aSignedEntryCopiedBeforeARevocationAndPlantedBackAfterItExpiresIsIgnored() {
        MovableClock clock = new MovableClock(Instant.parse("2026-12-01T10:00:00Z"));
        TenantRegistry registry = new TenantRegistry(servers.store(), redis, RealServers.PLANS, clock, CACHE_SECRET);
        String key = registry.issueKey("leaving", null).apiKey();
        assertEquals("leaving", registry.authenticate(key).orElseThrow().id()); // now cached, signed
        String cacheKey = "merlai:key:" + TenantRegistry.hash(key);
        String copied = RedisCommands.send(redis, Request.cmd(Command.GET).arg(cacheKey)).toString();
        registry.revoke("leaving");
        clock.advanceSeconds(TenantRegistry.CACHE_SECONDS);
        RedisCommands.send(redis, Request.cmd(Command.SET).arg(cacheKey).arg(copied)); // no expiry in Redis: whoever planted it chose
        assertTrue(registry.authenticate(key).isEmpty(), "the revoked key stays refused");
    }

    @Test
    void badTenantIdsAndUnknownPlansAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> registry.issueKey("../etc", null));
        assertThrows(IllegalArgumentException.class, () -> registry.issueKey("fine", "platinum"));
    }
}
