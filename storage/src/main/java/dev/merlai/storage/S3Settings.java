package dev.merlai.storage;

import java.net.URI;

/**
 * Where the S3-compatible store is and how to sign in.
 *
 * @param endpoint  e.g. {@code http://127.0.0.1:9000} (S3Proxy) or {@code http://minio.merlai:9000}
 * @param region    signing region; MinIO and S3Proxy accept {@code us-east-1}
 * @param accessKey access key id
 * @param secretKey secret access key
 * @param bucket    the bucket holding everything (default {@code merlai})
 */
public record S3Settings(URI endpoint, String region, String accessKey, String secretKey, String bucket) {

    public S3Settings {
        if (endpoint == null || region == null || accessKey == null || secretKey == null || bucket == null || bucket.isBlank()) {
            throw new IllegalArgumentException("S3 settings need endpoint, region, access key, secret key and bucket");
        }
    }

    @Override
    public String toString() {
        return "S3Settings[" + endpoint + ", bucket " + bucket + ", key " + accessKey + "]"; // never the secret
    }
}
