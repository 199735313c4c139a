package dev.merlai.platform.tenancy;

import dev.merlai.platform.http.InvalidRequestException;
import dev.merlai.storage.StorageLayout;
import dev.merlai.tenancy.Tenant;
import dev.merlai.tenancy.TenantRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

/**
 * The tenant of a CloudEvent. Events come from the broker inside the cluster and carry no API key: their data names
 * the tenant the work is billed to, which must have been created and not revoked.
 */
@ApplicationScoped
public class EventTenants {

    @Inject
    TenantRegistry registry;

    /**
     * @throws InvalidRequestException the name is malformed, or there is no such active tenant (400: a redelivery
     *                                 cannot make it right)
     */
    public Tenant active(String tenant) throws InvalidRequestException {
        try {
            StorageLayout.checkName("tenant", tenant);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException("tenant", e.getMessage());
        }
        return registry.find(tenant).filter(Tenant::active)
                .orElseThrow(() -> new InvalidRequestException("tenant", "no active tenant " + tenant + " (create it: merlai tenants create " + tenant + ")"));
    }
}
