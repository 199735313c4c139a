package dev.merlai.platform.tenancy;

import dev.merlai.platform.http.InvalidRequestException;
import dev.merlai.platform.http.ProblemException;
import dev.merlai.storage.StorageLayout;
import dev.merlai.storage.TenantKey;
import dev.merlai.tenancy.Tenant;
import dev.merlai.tenancy.TenantRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Map;
import java.util.Set;

/**
 * The tenant of a CloudEvent. Events come from the broker inside the cluster and carry no API key: their data names
 * the tenant the work is billed to, which must have been created and not revoked, and one the event's sender may speak
 * for: an upload only for the tenant whose objects hold it, a training request only for the tenant whose training set
 * it names, a function's hand-over only for the job it was handed ({@link dev.merlai.platform.jobs.ArrangedJob}). Anything else is a 403 ({@value #NOT_ALLOWED_TYPE}), refused before a
 * byte of the tenant's is read.
 */
@ApplicationScoped
public class EventTenants {

    public static final String NOT_ALLOWED_TYPE = "https://merlai.dev/problems/event-not-allowed";

    @Inject
    TenantRegistry registry;

    /** A 403 problem: an authenticated event that names work its sender may not ask for. */
    public static ProblemException notAllowed(String detail) {
        return new ProblemException(403, NOT_ALLOWED_TYPE, "Event not allowed", detail, Map.of());
    }

    /**
     * The tenant of an upload event: {@code tenant} must be active and, when the event names an object, the object must be
     * the tenant's own, in one of {@code areas} (a {@link TenantKey} of that tenant: nothing that could lead out of its
     * folder): the bucket notification of an upload comes from the inbox that holds it. This is the event's only key
     * check: what it lets through is read as it is.
     *
     * @throws ProblemException 403 when the key is not the tenant's
     */
    public Tenant uploader(String tenant, String key, Set<String> areas) throws InvalidRequestException, ProblemException {
        if (key != null) {
            try {
                TenantKey.owned(tenant, key, areas);
            } catch (IllegalArgumentException e) {
                throw notAllowed("an upload event of tenant " + tenant + " may not name " + key + ": " + e.getMessage());
            }
        }
        return active(tenant);
    }

    /**
     * The tenant of a training request: the event is about one training set, and its subject names that set's folder,
     * {@code tenants/<tenant>/training/<set>/}, as a notification from the set's own folder does; the data's tenant and
     * set must be that folder's. A request that names one tenant's set and bills another is refused.
     *
     * @throws ProblemException 403 when the subject is not the folder of the data's tenant and set
     */
    public Tenant trainer(String tenant, String set, String subject) throws InvalidRequestException, ProblemException {
        String folder;
        try {
            folder = StorageLayout.trainingSet(tenant, set);
        } catch (IllegalArgumentException e) {
            throw new InvalidRequestException(e.getMessage().startsWith("set") ? "set" : "tenant", e.getMessage());
        }
        if (!folder.equals(subject)) {
            throw notAllowed("a training request for tenant " + tenant + "'s set " + set + " must have the subject " + folder + ", not " + subject);
        }
        return active(tenant);
    }

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
