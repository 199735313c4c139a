package dev.merlai.platform.storage;

import dev.merlai.storage.JobStore;
import dev.merlai.storage.ObjectStore;
import dev.merlai.storage.S3Settings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Inject;

import java.net.URI;

/** The object store and job store every function uses, configured by {@code merlai.s3.*} (env MERLAI_S3_*). */
@ApplicationScoped
public class StorageProducer {

    @Inject
    StorageSettings settings;

    @Produces
    @ApplicationScoped
    ObjectStore objectStore() {
        return new ObjectStore(new S3Settings(URI.create(settings.endpoint()), settings.region(), settings.accessKey(), settings.secretKey(), settings.bucket()),
                settings.callTimeout(), settings.attemptTimeout());
    }

    void close(@Disposes ObjectStore store) {
        store.close();
    }

    @Produces
    @ApplicationScoped
    JobStore jobStore(ObjectStore store) {
        return new JobStore(store);
    }
}
