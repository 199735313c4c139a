package dev.merlai.platform.http;

import dev.merlai.storage.StorageLayout;
import io.vertx.ext.web.RoutingContext;

/**
 * Whose data an HTTP call is about: {@code ?tenant=} or the configured default, until API keys say who calls
 * (issue 7). The one place the plugin routes ask.
 */
public final class CallerTenant {

    private CallerTenant() {
    }

    public static String of(RoutingContext context, String defaultTenant) throws InvalidRequestException {
        String tenant = context.queryParams().get("tenant") == null ? defaultTenant : context.queryParams().get("tenant");
        try {
            return StorageLayout.checkName("tenant", tenant);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("tenant", e.getMessage());
        }
    }
}
