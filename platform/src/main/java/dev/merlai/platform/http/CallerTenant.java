package dev.merlai.platform.http;

import dev.merlai.storage.StorageLayout;

/**
 * Who is calling: the one place that decides a request's tenant. Until API keys land (issue #7), a caller names its
 * tenant ({@code ?tenant=} over HTTP, the {@code tenant} field of a request or event), and a request that names none
 * belongs to the configured default tenant ({@code merlai.tenant.default}).
 */
public final class CallerTenant {

    private CallerTenant() {
    }

    /** The tenant a request acts for: the one it names, else the default; a malformed name is a 400 on {@code tenant}. */
    public static String of(String named, String defaultTenant) throws InvalidRequestException {
        String tenant = named == null || named.isBlank() ? defaultTenant : named;
        try {
            return StorageLayout.checkName("tenant", tenant);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("tenant", e.getMessage());
        }
    }
}
