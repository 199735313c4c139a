package dev.merlai.platform.storage;

import dev.merlai.storage.JobStore;
import dev.merlai.storage.ObjectStore;
import dev.merlai.storage.S3Settings;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.URI;
import java.time.Duration;

/** The object store and job store every function uses, configured by {@code merlai.s3.*} (env MERLAI_S3_*). */
@ApplicationScoped
public class StorageProducer {

    @ConfigProperty(name = "merlai.s3.endpoint")
    String endpoint;

    @ConfigProperty(name = "merlai.s3.region", defaultValue = "us-east-1")
    String region;

    @ConfigProperty(name = "merlai.s3.access-key")
    String accessKey;

    @ConfigProperty(name = "merlai.s3.secret-key")
    String secretKey;

    @ConfigProperty(name = "merlai.s3.bucket", defaultValue = "merlai")
    String bucket;

    /** The most one storage call may take, retries included: a frozen store answers 503 within this, not a hang. */
    @ConfigProperty(name = "merlai.s3.call-timeout", defaultValue = "5s")
    Duration callTimeout;

    /** The most one attempt of a call may take before the client retries. */
    @ConfigProperty(name = "merlai.s3.attempt-timeout", defaultValue = "2s")
    Duration attemptTimeout;

    @Produces
    @ApplicationScoped
    ObjectStore objectStore() {
        return new ObjectStore(new S3Settings(URI.create(endpoint), region, accessKey, secretKey, bucket), callTimeout, attemptTimeout);
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
