package dev.merlai.functions.recommend;

import dev.merlai.plugins.CatalogStore;
import dev.merlai.plugins.Ranker;
import dev.merlai.plugins.TenantPluginStore;
import dev.merlai.storage.ObjectStore;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;

/** The catalog and the tenants' plugin data in the object store, and the ranker. */
@ApplicationScoped
public class PluginStores {

    @Produces
    @ApplicationScoped
    CatalogStore catalog(ObjectStore store) {
        return new CatalogStore(store);
    }

    @Produces
    @ApplicationScoped
    TenantPluginStore tenants(ObjectStore store) {
        return new TenantPluginStore(store);
    }

    @Produces
    @ApplicationScoped
    Ranker ranker() {
        return Ranker.standard();
    }
}
