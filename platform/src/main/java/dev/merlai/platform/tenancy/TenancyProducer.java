package dev.merlai.platform.tenancy;

import dev.merlai.storage.ObjectStore;
import dev.merlai.tenancy.Plans;
import dev.merlai.tenancy.TenantRegistry;
import dev.merlai.tenancy.limits.Quotas;
import dev.merlai.tenancy.limits.RateLimiter;
import dev.merlai.tenancy.usage.UsageLedger;
import io.vertx.redis.client.Redis;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The tenancy parts every function shares, on the function's object store and Redis: the tenant registry, the usage
 * ledger (inject it and call {@code record(tenant, job, unit, amount)} once a job's billable work is done), the rate
 * limiter, quotas and the plans from {@code merlai.plans.*}.
 */
@ApplicationScoped
public class TenancyProducer {

    private static final Logger LOG = Logger.getLogger(TenancyProducer.class);

    @Produces
    @ApplicationScoped
    Plans plans(Config config) {
        Map<String, String> settings = new HashMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(Plans.PREFIX)) config.getOptionalValue(name, String.class).ifPresent(value -> settings.put(name, value));
        }
        return Plans.fromSettings(settings);
    }

    /**
     * The registry signs the API-key entries it caches in Redis with {@code merlai.key-cache-secret} (env
     * MERLAI_KEY_CACHE_SECRET), the same on every replica. Without one, this process signs with a random secret of its
     * own: still safe, but replicas do not share cached keys.
     */
    @Produces
    @ApplicationScoped
    TenantRegistry registry(ObjectStore store, Redis redis, Plans plans,
                            @ConfigProperty(name = "merlai.key-cache-secret") Optional<String> keyCacheSecret) {
        byte[] secret;
        if (keyCacheSecret.isPresent()) {
            secret = keyCacheSecret.get().getBytes(StandardCharsets.UTF_8);
        } else {
            LOG.info("no merlai.key-cache-secret: API keys cached in Redis are signed with a secret of this process only");
            secret = new byte[32];
            new SecureRandom().nextBytes(secret);
        }
        return new TenantRegistry(store, redis, plans, Clock.systemUTC(), secret);
    }

    @Produces
    @ApplicationScoped
    UsageLedger ledger(ObjectStore store, Redis redis) {
        return new UsageLedger(store, redis, Clock.systemUTC());
    }

    @Produces
    @ApplicationScoped
    RateLimiter rateLimiter(Redis redis) {
        return new RateLimiter(redis, Clock.systemUTC());
    }

    @Produces
    @ApplicationScoped
    Quotas quotas(UsageLedger ledger) {
        return new Quotas(ledger, Clock.systemUTC());
    }
}
