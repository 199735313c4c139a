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

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/**
 * The tenancy parts every function shares, on the function's object store and Redis: the tenant registry, the usage
 * ledger (inject it and call {@code record(tenant, job, unit, amount)} once a job's billable work is done), the rate
 * limiter, quotas and the plans from {@code merlai.plans.*}.
 */
@ApplicationScoped
public class TenancyProducer {

    @Produces
    @ApplicationScoped
    Plans plans(Config config) {
        Map<String, String> settings = new HashMap<>();
        for (String name : config.getPropertyNames()) {
            if (name.startsWith(Plans.PREFIX)) config.getOptionalValue(name, String.class).ifPresent(value -> settings.put(name, value));
        }
        return Plans.fromSettings(settings);
    }

    @Produces
    @ApplicationScoped
    TenantRegistry registry(ObjectStore store, Redis redis, Plans plans) {
        return new TenantRegistry(store, redis, plans, Clock.systemUTC());
    }

    @Produces
    @ApplicationScoped
    UsageLedger ledger(ObjectStore store, Redis redis) {
        return new UsageLedger(store, redis, Clock.systemUTC());
    }

    @Produces
    @ApplicationScoped
    RateLimiter rateLimiter(Redis redis) {
        return new RateLimiter(redis);
    }

    @Produces
    @ApplicationScoped
    Quotas quotas(UsageLedger ledger) {
        return new Quotas(ledger, Clock.systemUTC());
    }
}
