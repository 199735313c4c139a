package dev.merlai.platform.tenancy;

import dev.merlai.platform.http.InvalidRequestException;
import dev.merlai.platform.http.ProblemResponses;
import dev.merlai.tenancy.Plans;
import dev.merlai.tenancy.Tenant;
import dev.merlai.tenancy.TenantRegistry;
import dev.merlai.tenancy.limits.RateLimiter;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.util.Optional;

/**
 * Guards every route under {@code /v1/} of every function that has this library: the caller sends
 * {@code Authorization: Bearer <api key>}; a missing, unknown or revoked key is answered 401, a tenant over its plan's
 * request rate 429 with {@code Retry-After}; otherwise the route runs with {@link #tenant(RoutingContext)} set. A
 * route never takes the tenant from the request: the key says who it is.
 *
 * <p>When Redis is down the key is checked against the object store and the rate limit is kept per replica
 * ({@link RateLimiter}).
 */
@ApplicationScoped
public class ApiKeyGuard {

    public static final String UNAUTHENTICATED_TYPE = "https://merlai.dev/problems/unauthenticated";
    public static final String RATE_LIMITED_TYPE = "https://merlai.dev/problems/rate-limited";
    private static final String TENANT = "merlai.tenant";

    @Inject
    TenantRegistry registry;

    @Inject
    RateLimiter limiter;

    @Inject
    Plans plans;

    void install(@Observes Router router) {
        router.route("/v1/*").order(-500).blockingHandler(this::guard, false);
    }

    /** The authenticated tenant of a request under {@code /v1/}. */
    public static Tenant tenant(RoutingContext context) {
        Tenant tenant = context.get(TENANT);
        if (tenant == null) throw new IllegalStateException("no tenant: the route is not under /v1/");
        return tenant;
    }

    /**
     * The id of the caller's tenant, for a route that acts on the caller's own data. A {@code ?tenant=} naming
     * another tenant is refused (400) rather than silently ignored, so a caller never mistakes its own data for
     * another's.
     */
    public static String ownTenantId(RoutingContext context) throws InvalidRequestException {
        String tenant = tenant(context).id();
        String asked = context.queryParams().get("tenant");
        if (asked != null && !asked.equals(tenant)) throw new InvalidRequestException("tenant", "the API key is tenant " + tenant + "'s; it reaches only its own data");
        return tenant;
    }

    /**
     * The caller's tenant for a request whose body may name a tenant: a body {@code tenant} or a {@code ?tenant=}
     * naming another tenant is refused (400).
     */
    public static Tenant ownTenant(RoutingContext context, String named) throws InvalidRequestException {
        Tenant tenant = tenant(context);
        ownTenantId(context);
        if (named != null && !named.equals(tenant.id())) {
            throw new InvalidRequestException("tenant", "the API key is tenant " + tenant.id() + "'s; leave 'tenant' out or give that one");
        }
        return tenant;
    }

    private void guard(RoutingContext context) {
        try {
            Optional<Tenant> tenant = registry.authenticate(bearer(context));
            if (tenant.isEmpty()) {
                context.response().putHeader("WWW-Authenticate", "Bearer realm=\"merlai\"");
                ProblemResponses.send(context, 401, UNAUTHENTICATED_TYPE, "Unauthenticated",
                        bearer(context) == null ? "send your API key as 'Authorization: Bearer <key>'" : "the API key is unknown or revoked");
                return;
            }
            long waitMillis = limiter.take(tenant.get().id(), plans.of(tenant.get()));
            if (waitMillis > 0) {
                context.response().putHeader("Retry-After", Long.toString((waitMillis + 999) / 1000));
                ProblemResponses.send(context, 429, RATE_LIMITED_TYPE, "Too many requests", "the plan " + tenant.get().plan() + " allows "
                        + plans.of(tenant.get()).requestsPerSecond() + " requests per second (bursts of " + plans.of(tenant.get()).burst() + "); retry in " + waitMillis + " ms");
                return;
            }
            context.put(TENANT, tenant.get());
            context.next();
        } catch (RuntimeException e) {
            context.fail(e);
        }
    }

    /** The bearer token of the request, or null. */
    static String bearer(RoutingContext context) {
        String header = context.request().getHeader("Authorization");
        if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) return null;
        String token = header.substring(7).trim();
        return token.isEmpty() ? null : token;
    }
}
