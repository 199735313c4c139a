package dev.merlai.functions.live;

import dev.merlai.platform.http.ProblemResponses;
import dev.merlai.platform.tenancy.ApiKeyGuard;
import dev.merlai.tenancy.Plans;
import dev.merlai.tenancy.Tenant;
import dev.merlai.tenancy.limits.Quotas;
import dev.merlai.tenancy.usage.Unit;
import dev.merlai.tenancy.usage.UsageLedger;
import io.vertx.ext.web.Router;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * {@code GET /v1/live}: upgrades to a WebSocket that plays one {@link LiveSession}. The API key is checked by
 * {@link ApiKeyGuard} on the upgrade request, as for every {@code /v1/} route; a WebSocket is a plain Vert.x
 * upgrade on the same router, so no WebSocket extension is needed. A tenant whose month has used up its plan's
 * {@code live-minutes} is refused (402) before the upgrade; the session that crosses the quota plays on to its end.
 */
@ApplicationScoped
public class LiveRoute {

    public static final String BUSY_TYPE = "https://merlai.dev/problems/live-busy";

    @Inject
    LiveModels models;

    @Inject
    LivePlanners planners;

    @Inject
    UsageLedger usage;

    @Inject
    Plans plans;

    @Inject
    Quotas quotas;

    @ConfigProperty(name = "merlai.live.idle-seconds")
    int idleSeconds;

    @ConfigProperty(name = "merlai.live.max-sessions")
    int maxSessions;

    private final AtomicInteger playing = new AtomicInteger();

    void install(@Observes Router router) {
        // The quota is read from Redis (or the usage records), so it is checked off the event loop, before the upgrade.
        router.get("/v1/live").blockingHandler(context -> {
            Tenant tenant = ApiKeyGuard.tenant(context);
            quotas.check(tenant.id(), plans.of(tenant), Unit.LIVE_MINUTES);
            context.next();
        }, false);
        router.get("/v1/live").handler(context -> {
            Tenant tenant = ApiKeyGuard.tenant(context);
            if (playing.incrementAndGet() > maxSessions) {
                playing.decrementAndGet();
                ProblemResponses.send(context, 503, BUSY_TYPE, "Too many live sessions", "this replica plays " + maxSessions + " sessions at most; try again");
                return;
            }
            context.request().toWebSocket()
                    .onSuccess(socket -> new LiveSession(socket, tenant.id(), models, planners, usage, Duration.ofSeconds(idleSeconds),
                            playing::decrementAndGet).open())
                    .onFailure(failure -> playing.decrementAndGet());
        });
    }
}
