package dev.merlai.platform.tenancy;

import dev.merlai.platform.http.ProblemResponses;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Guards {@code /admin/*}: only the operator's credential ({@code Authorization: Bearer <merlai.admin.token>})
 * passes; anything else, a tenant's API key included, is answered 403. With no admin token configured every admin
 * call is refused.
 */
@ApplicationScoped
public class AdminGuard {

    public static final String FORBIDDEN_TYPE = "https://merlai.dev/problems/forbidden";

    @ConfigProperty(name = "merlai.admin.token")
    Optional<String> adminToken;

    void install(@Observes Router router) {
        router.route("/admin/*").order(-500).handler(this::guard);
    }

    private void guard(RoutingContext context) {
        String given = ApiKeyGuard.bearer(context);
        boolean admin = adminToken.isPresent() && given != null
                && MessageDigest.isEqual(adminToken.get().getBytes(StandardCharsets.UTF_8), given.getBytes(StandardCharsets.UTF_8));
        if (admin) {
            context.next();
            return;
        }
        ProblemResponses.send(context, 403, FORBIDDEN_TYPE, "Forbidden", adminToken.isEmpty() ? "admin calls are disabled: no merlai.admin.token is configured"
                : "admin calls need the operator's credential: 'Authorization: Bearer <admin token>'");
    }
}
