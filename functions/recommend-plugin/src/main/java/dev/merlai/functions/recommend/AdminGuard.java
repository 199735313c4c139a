package dev.merlai.functions.recommend;

import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * Who may change the catalog: a caller presenting {@code Authorization: Bearer <merlai.plugins.admin-token>}.
 * With no token configured nobody may. The one place to swap for the platform's admin credential.
 */
@ApplicationScoped
public class AdminGuard {

    @ConfigProperty(name = "merlai.plugins.admin-token")
    Optional<String> token;

    public boolean admits(RoutingContext context) {
        String header = context.request().getHeader("Authorization");
        if (token.isEmpty() || token.get().isBlank() || header == null || !header.startsWith("Bearer ")) return false;
        return MessageDigest.isEqual(header.substring("Bearer ".length()).trim().getBytes(StandardCharsets.UTF_8),
                token.get().getBytes(StandardCharsets.UTF_8));
    }
}
