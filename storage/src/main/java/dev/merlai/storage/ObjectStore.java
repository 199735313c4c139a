package dev.merlai.storage;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.model.BucketAlreadyOwnedByYouException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.presigner.S3Presigner;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Objects in one bucket of an S3-compatible store, path-style (as MinIO and S3Proxy want). Failures of the
 * store itself surface as {@link StorageUnavailableException}, so callers can answer 503 and retry.
 */
public final class ObjectStore implements AutoCloseable {

    private final S3Client client;
    private final S3Presigner presigner;
    private final String bucket;

    /** Default limits of one call: a store that stops answering (frozen, partitioned) fails within these instead of hanging callers. */
    public static final Duration DEFAULT_CALL_TIMEOUT = Duration.ofSeconds(5);
    public static final Duration DEFAULT_ATTEMPT_TIMEOUT = Duration.ofSeconds(2);
    /** The longest array a JVM allocates. */
    private static final long MAX_ARRAY = Integer.MAX_VALUE - 8;

    public ObjectStore(S3Settings settings) {
        this(settings, DEFAULT_CALL_TIMEOUT, DEFAULT_ATTEMPT_TIMEOUT);
    }

    /**
     * @param callTimeout    the most one call may take, its retries included; then it fails with {@link StorageUnavailableException}
     * @param attemptTimeout the most one attempt may take before the client retries
     */
    public ObjectStore(S3Settings settings, Duration callTimeout, Duration attemptTimeout) {
        this.bucket = settings.bucket();
        this.client = S3Client.builder()
                .overrideConfiguration(o -> o.apiCallTimeout(callTimeout).apiCallAttemptTimeout(attemptTimeout))
                .endpointOverride(settings.endpoint())
                .region(Region.of(settings.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey())))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(Duration.ofSeconds(2)).socketTimeout(Duration.ofSeconds(30)))
                .build();
        this.presigner = S3Presigner.builder()
                .endpointOverride(settings.endpoint())
                .region(Region.of(settings.region()))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey())))
                .serviceConfiguration(S3Configuration.builder().pathStyleAccessEnabled(true).build())
                .build();
    }

    /** A URL anyone holding it can GET the object with, until it expires. Signed locally: no call to the store. */
    public java.net.URL presignGet(String key, Duration validFor) {
        return presigner.presignGetObject(b -> b.signatureDuration(validFor).getObjectRequest(g -> g.bucket(bucket).key(key))).url();
    }

    public String bucket() {
        return bucket;
    }

    /** Creates the bucket unless it exists. */
    public void ensureBucket() {
        call(() -> {
            try {
                client.createBucket(b -> b.bucket(bucket));
            } catch (BucketAlreadyOwnedByYouException alreadyThere) {
                // fine
            } catch (S3Exception e) {
                if (e.statusCode() != 409) throw e;
            }
            return null;
        });
    }

    public void put(String key, byte[] data, String contentType) {
        put(key, data, contentType, java.util.Map.of());
    }

    /** Writes the object with user metadata (sent as {@code x-amz-meta-<name>} headers). */
    public void put(String key, byte[] data, String contentType, java.util.Map<String, String> userMetadata) {
        call(() -> client.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).metadata(userMetadata), RequestBody.fromBytes(data)));
    }

    /**
     * Writes the object only if there is none under the key yet ({@code If-None-Match: *}, a conditional write
     * MinIO, S3 and S3Proxy honour): the first writer wins and a repeat changes nothing.
     *
     * @return true when the key holds these bytes by this call, false when another write had taken it. A refused write
     * that finds its own bytes counts as its own: the S3 client retries a request whose first attempt failed after
     * the server stored it, and the retry is then refused by that very object.
     */
    public boolean putIfAbsent(String key, byte[] data, String contentType) {
        boolean created = call(() -> {
            try {
                client.putObject(b -> b.bucket(bucket).key(key).contentType(contentType).ifNoneMatch("*"), RequestBody.fromBytes(data));
                return true;
            } catch (S3Exception e) {
                if (e.statusCode() == 412 || e.statusCode() == 409) return false;
                throw e;
            }
        });
        return created || get(key).map(stored -> Arrays.equals(stored, data)).orElse(false);
    }

    /** The object's bytes, or empty when there is no such key. */
    public Optional<byte[]> get(String key) {
        return call(() -> {
            try {
                return Optional.of(client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asByteArray());
            } catch (NoSuchKeyException missing) {
                return Optional.<byte[]>empty();
            }
        });
    }

    /**
     * The object, or empty when there is no such key, read only when it holds at most {@code maxBytes}: the size the
     * store announces is checked before the body is read, and the read stops past the limit whatever was announced, so
     * an object too large never fills the heap. Its ETag and metadata come from the same answer as its bytes (one read,
     * one version).
     *
     * @throws ObjectTooLargeException when the object holds more than {@code maxBytes} (with what the store said of it)
     */
    public Optional<StoredObject> getAtMost(String key, long maxBytes) {
        // One array holds the bytes: a larger limit would cut the read short without a word.
        if (maxBytes < 0 || maxBytes >= MAX_ARRAY) throw new IllegalArgumentException("a bounded read takes 0 to " + (MAX_ARRAY - 1) + " bytes, not " + maxBytes);
        return call(() -> {
            try (var in = client.getObject(b -> b.bucket(bucket).key(key))) {
                var response = in.response();
                Long announced = response.contentLength();
                ObjectHead head = new ObjectHead(announced == null ? -1 : announced, response.eTag(), java.util.Map.copyOf(response.metadata()));
                if (announced != null && announced > maxBytes) {
                    in.abort();
                    throw new ObjectTooLargeException(key, announced, maxBytes, head);
                }
                byte[] bytes = in.readNBytes((int) maxBytes + 1);
                if (bytes.length > maxBytes) {
                    in.abort();
                    throw new ObjectTooLargeException(key, bytes.length, maxBytes, head);
                }
                return Optional.of(new StoredObject(head, bytes));
            } catch (NoSuchKeyException missing) {
                return Optional.<StoredObject>empty();
            } catch (java.io.IOException e) {
                throw SdkException.create("reading " + key + " failed", e);
            }
        });
    }

    public boolean exists(String key) {
        return call(() -> {
            try {
                client.headObject(b -> b.bucket(bucket).key(key));
                return true;
            } catch (NoSuchKeyException missing) {
                return false;
            } catch (S3Exception e) {
                if (e.statusCode() == 404) return false;
                throw e;
            }
        });
    }

    /**
     * The object's user metadata ({@code x-amz-meta-*} headers, names lower-case without the prefix), or an empty map
     * when there is no such key.
     */
    public java.util.Map<String, String> userMetadata(String key) {
        return call(() -> {
            try {
                return java.util.Map.copyOf(client.headObject(b -> b.bucket(bucket).key(key)).metadata());
            } catch (NoSuchKeyException missing) {
                return java.util.Map.<String, String>of();
            } catch (S3Exception e) {
                if (e.statusCode() == 404) return java.util.Map.<String, String>of();
                throw e;
            }
        });
    }

    /** Every key under a prefix, in key order. */
    public List<String> list(String prefix) {
        return listModifiedSince(prefix, java.time.Instant.MIN);
    }

    /**
     * The keys under a prefix whose objects were last written at or after {@code since} (the store's clock), in key
     * order: the listing carries each object's time, so nothing older is read.
     */
    public List<String> listModifiedSince(String prefix, java.time.Instant since) {
        return listObjects(prefix).stream().filter(object -> !object.lastModified().isBefore(since)).map(ListedObject::key).toList();
    }

    /** Every object under a prefix, in key order, with its version tag and time as the listing gives them. */
    public List<ListedObject> listObjects(String prefix) {
        return call(() -> {
            List<ListedObject> objects = new ArrayList<>();
            for (var page : client.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix))) {
                for (S3Object object : page.contents()) objects.add(new ListedObject(object.key(), object.eTag(), object.lastModified()));
            }
            return objects;
        });
    }

    public void delete(String key) {
        call(() -> client.deleteObject(b -> b.bucket(bucket).key(key)));
    }

    @Override
    public void close() {
        client.close();
        presigner.close();
    }

    private interface S3Call<T> {
        T run();
    }

    private static <T> T call(S3Call<T> call) {
        try {
            return call.run();
        } catch (S3Exception e) {
            if (e.statusCode() >= 500) throw new StorageUnavailableException("the object store failed: " + e.getMessage(), e);
            throw e;
        } catch (SdkException e) {
            throw new StorageUnavailableException("the object store cannot be reached: " + e.getMessage(), e);
        }
    }
}
