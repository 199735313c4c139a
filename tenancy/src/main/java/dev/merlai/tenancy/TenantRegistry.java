package dev.merlai.tenancy;

import dev.merlai.storage.ObjectStore;
import dev.merlai.storage.StorageLayout;
import io.vertx.redis.client.Command;
import io.vertx.redis.client.Redis;
import io.vertx.redis.client.Request;
import io.vertx.redis.client.Response;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tenants and their API keys. The truth is in the object store, outside every tenant's prefix (tenant keys in a
 * cluster reach only {@code tenants/<id>/}):
 * <pre>
 * system/tenants/&lt;tenant&gt;.json   plan, created, revoked, the hashes of its keys
 * system/keys/&lt;sha256&gt;.json      which tenant a key belongs to
 * </pre>
 * A key is 32 random bytes ({@code mrl_} + base64url), shown once when issued; only its SHA-256 is kept (a
 * slow password hash buys nothing for a key with 256 bits of entropy). Redis caches what a key resolves to for
 * {@value #CACHE_SECONDS} s; a revocation deletes those entries, so it holds on every replica at once.
 *
 * <p>Redis is not trusted with who a key is: each cached entry carries an HMAC-SHA256, with a secret only the functions
 * hold, over the key's hash, what it resolves to (tenant, plan, state, keys) and when the entry expires. An entry without
 * a valid one (planted or altered by whoever reached Redis), or past its signed expiry (a copy of an old entry planted
 * back after a revocation), is ignored, the store answers and its answer replaces the entry.
 */
public final class TenantRegistry {

    public static final String TENANTS = "system/tenants/";
    public static final String KEYS = "system/keys/";
    static final long CACHE_SECONDS = 60;
    private static final String CACHE = "merlai:key:";
    private static final String UNKNOWN = "-";
    private static final String MAC = "HmacSHA256";
    private static final Logger LOG = Logger.getLogger(TenantRegistry.class.getName());

    private static final com.fasterxml.jackson.databind.ObjectMapper MAPPER = new com.fasterxml.jackson.databind.ObjectMapper();

    private final ObjectStore store;
    private final Redis redis;
    private final Plans plans;
    private final Clock clock;
    private final SecretKeySpec cacheKey;
    private final SecureRandom random = new SecureRandom();

    /**
     * @param cacheSecret what cached entries are signed with, the same on every replica that shares the cache; at
     *                    least 16 bytes
     */
    public TenantRegistry(ObjectStore store, Redis redis, Plans plans, Clock clock, byte[] cacheSecret) {
        if (cacheSecret.length < 16) throw new IllegalArgumentException("the key cache secret needs at least 16 bytes");
        this.store = store;
        this.redis = redis;
        this.plans = plans;
        this.clock = clock;
        this.cacheKey = new SecretKeySpec(cacheSecret, MAC);
    }

    /** A key as issued: the only time the key itself is seen. */
    public record IssuedKey(Tenant tenant, String apiKey) {
    }

    /**
     * Creates the tenant on a plan (null: the default plan) and issues its first key; for a tenant that exists and
     * is active, issues one more key (rotation: the old ones keep working until the tenant is revoked) and moves it
     * to {@code plan} when one is given.
     *
     * @throws IllegalArgumentException for a bad tenant id, an unknown plan, or a revoked tenant
     */
    public IssuedKey issueKey(String tenantId, String plan) {
        StorageLayout.checkName("tenant", tenantId);
        if (plan != null && plans.find(plan).isEmpty()) throw new IllegalArgumentException("no plan '" + plan + "'; there are " + plans.all().keySet());
        Optional<Tenant> existing = find(tenantId);
        Tenant tenant = existing.orElseGet(() -> new Tenant(tenantId, plan == null ? plans.defaultPlan() : plan, clock.instant(), null, List.of()));
        if (!tenant.active()) throw new IllegalArgumentException("tenant " + tenantId + " was revoked; a revoked tenant's id is not reused");
        if (plan != null && !plan.equals(tenant.plan())) tenant = tenant.onPlan(plan);
        byte[] secret = new byte[32];
        random.nextBytes(secret);
        String apiKey = "mrl_" + Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
        String hash = hash(apiKey);
        store.put(KEYS + hash + ".json", MAPPER.createObjectNode().put("tenant", tenantId).toString().getBytes(StandardCharsets.UTF_8), "application/json");
        Tenant updated = tenant.withKey(hash);
        store.put(TENANTS + tenantId + ".json", updated.toJson(), "application/json");
        if (existing.isPresent() && !existing.get().plan().equals(updated.plan())) forgetCachedKeys(existing.get());
        return new IssuedKey(updated, apiKey);
    }

    /** Revokes the tenant: every one of its keys is refused from now on, on every replica. */
    public Optional<Tenant> revoke(String tenantId) {
        StorageLayout.checkName("tenant", tenantId);
        Optional<Tenant> found = find(tenantId);
        if (found.isEmpty()) return found;
        Tenant revoked = found.get().active() ? found.get().revoked(clock.instant()) : found.get();
        store.put(TENANTS + tenantId + ".json", revoked.toJson(), "application/json");
        forgetCachedKeys(revoked);
        return Optional.of(revoked);
    }

    /** Drops what Redis cached for the tenant's keys, so a change holds on every replica at once. */
    private void forgetCachedKeys(Tenant tenant) {
        try {
            for (String hash : tenant.keyHashes()) RedisCommands.send(redis, Request.cmd(Command.DEL).arg(CACHE + hash));
        } catch (RedisUnavailableException e) {
            LOG.warning("Redis is down: cached keys of " + tenant.id() + " expire within " + CACHE_SECONDS + " s: " + e.getMessage());
        }
    }

    public Optional<Tenant> find(String tenantId) {
        return store.get(TENANTS + StorageLayout.checkName("tenant", tenantId) + ".json").map(Tenant::fromJson);
    }

    /** Every tenant, by id. */
    public List<Tenant> list() {
        List<Tenant> tenants = new ArrayList<>();
        for (String key : store.list(TENANTS)) store.get(key).map(Tenant::fromJson).ifPresent(tenants::add);
        return tenants;
    }

    /** The active tenant a key belongs to; empty for a missing, unknown or revoked key. */
    public Optional<Tenant> authenticate(String apiKey) {
        if (apiKey == null || !apiKey.startsWith("mrl_") || apiKey.length() > 100) return Optional.empty();
        String hash = hash(apiKey);
        String cached = cached(hash);
        if (cached != null) return cached.equals(UNKNOWN) ? Optional.empty() : Optional.of(Tenant.fromJson(cached.getBytes(StandardCharsets.UTF_8)));
        Optional<Tenant> tenant = store.get(KEYS + hash + ".json")
                .map(TenantRegistry::keyOwner)
                .flatMap(this::find)
                .filter(Tenant::active);
        cache(hash, tenant.map(t -> new String(t.toJson(), StandardCharsets.UTF_8)).orElse(UNKNOWN));
        return tenant;
    }

    /** What Redis holds for the key hash, if its signature is ours and its signed expiry has not passed; else null (the store answers). */
    private String cached(String hash) {
        Response entry;
        try {
            entry = RedisCommands.send(redis, Request.cmd(Command.GET).arg(CACHE + hash));
        } catch (RedisUnavailableException e) {
            return null; // the store answers instead
        }
        if (entry == null) return null;
        String[] parts = entry.toString().split("\\.", 3); // signature . expiry (epoch seconds) . value
        if (parts.length < 3) return null;
        String signedPart = parts[1] + "." + parts[2];
        boolean signed = MessageDigest.isEqual(parts[0].getBytes(StandardCharsets.US_ASCII), signature(hash, signedPart).getBytes(StandardCharsets.US_ASCII));
        if (!signed) {
            LOG.warning("a cached entry for key hash " + hash.substring(0, 8) + "... has no valid signature (planted or altered in Redis); ignored");
            return null;
        }
        if (Long.parseLong(parts[1]) <= clock.instant().getEpochSecond()) {
            LOG.warning("a cached entry for key hash " + hash.substring(0, 8) + "... is past its signed expiry (an old entry planted again in Redis); ignored");
            return null;
        }
        return parts[2];
    }

    private void cache(String hash, String value) {
        String signedPart = (clock.instant().getEpochSecond() + CACHE_SECONDS) + "." + value;
        try {
            RedisCommands.send(redis, Request.cmd(Command.SET).arg(CACHE + hash).arg(signature(hash, signedPart) + "." + signedPart).arg("EX").arg(CACHE_SECONDS));
        } catch (RedisUnavailableException e) {
            // uncached: the next call reads the store again
        }
    }

    /** HMAC-SHA256 of the key hash and the entry's expiry and value, base64url. */
    private String signature(String hash, String signedPart) {
        try {
            Mac mac = Mac.getInstance(MAC);
            mac.init(cacheKey);
            return Base64.getUrlEncoder().withoutPadding().encodeToString(mac.doFinal((hash + "\n" + signedPart).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is always there", e);
        }
    }

    private static String keyOwner(byte[] keyRecord) {
        try {
            return MAPPER.readTree(keyRecord).path("tenant").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException("a key record is unreadable", e);
        }
    }

    static String hash(String apiKey) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(apiKey.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is always there", e);
        }
    }
}
