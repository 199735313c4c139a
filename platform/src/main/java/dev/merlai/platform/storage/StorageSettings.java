package dev.merlai.platform.storage;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** The object store's settings, {@code merlai.s3.*} (env MERLAI_S3_*). */
@ConfigMapping(prefix = "merlai.s3")
public interface StorageSettings {

    String endpoint();

    @WithDefault("us-east-1")
    String region();

    String accessKey();

    String secretKey();

    @WithDefault("merlai")
    String bucket();

    /** The most one storage call may take, retries included: a frozen store answers 503 within this, not a hang. */
    @WithDefault("5s")
    Duration callTimeout();

    /** The most one attempt of a call may take before the client retries. */
    @WithDefault("2s")
    Duration attemptTimeout();
}
