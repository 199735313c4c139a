package dev.merlai.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** MinIO for the files, Redis for the cache and the meter. */
class StorageTest {

    private static final List<HasMetadata> BASE = Manifests.base();

    private static Container only(String statefulSet) {
        return Manifests.named(BASE, StatefulSet.class, statefulSet).orElseThrow().getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    static String minioEnv(String name) {
        return only("minio").getEnv().stream().filter(e -> name.equals(e.getName())).findFirst().orElseThrow().getValue();
    }

    private static Map<String, String> setup() {
        return Manifests.named(BASE, ConfigMap.class, "merlai-minio-setup").orElseThrow().getData();
    }

    @Test
    void redisKeepsTheMeterAcrossRestartsAndEvictsOnlyCacheEntries() {
        Container redis = only("redis");
        String args = String.join(" ", redis.getArgs());
        assertTrue(args.contains("--appendonly yes"), args);
        assertTrue(args.contains("--maxmemory-policy volatile-lru"), "only keys with a TTL (the cache) may be evicted: " + args);
        assertTrue(redis.getVolumeMounts().stream().anyMatch(m -> m.getMountPath().equals("/data")), "the AOF lives on a volume");
        assertEquals("data", Manifests.named(BASE, StatefulSet.class, "redis").orElseThrow().getSpec().getVolumeClaimTemplates().get(0).getMetadata().getName());
    }

    @Test
    void aTenantMayTouchOnlyItsOwnPrefix() throws Exception {
        JsonNode policy = new ObjectMapper().readTree(setup().get("tenant-policy.json").replace("TENANT", "acme"));
        List<String> prefixes = new ArrayList<>();
        for (JsonNode statement : policy.path("Statement")) {
            assertEquals("Allow", statement.path("Effect").asText());
            for (JsonNode resource : statement.path("Resource")) {
                String arn = resource.asText();
                if (arn.equals("arn:aws:s3:::merlai")) {
                    assertEquals("[\"s3:ListBucket\"]", statement.path("Action").toString(), "bucket-level access is listing only");
                    statement.path("Condition").path("StringLike").path("s3:prefix").forEach(p -> prefixes.add(p.asText()));
                } else {
                    assertTrue(arn.startsWith("arn:aws:s3:::merlai/tenants/acme/"), arn);
                    if (!statement.path("Action").toString().equals("[\"s3:GetObject\"]")) {
                        assertTrue(arn.startsWith("arn:aws:s3:::merlai/tenants/acme/inbox/"), "a tenant writes only to its inbox: " + arn);
                    }
                }
            }
        }
        assertTrue(!prefixes.isEmpty() && prefixes.stream().allMatch(p -> p.startsWith("tenants/acme/")), "listing is confined: " + prefixes);
    }

    @Test
    void onlyInboxUploadsAreAnnouncedThroughTheKafkaTarget() {
        String script = setup().get("setup.sh");
        assertEquals("on", minioEnv("MINIO_NOTIFY_KAFKA_ENABLE_MERLAI"));
        assertTrue(script.contains("arn:minio:sqs::MERLAI:kafka --event put --prefix \"tenants/$tenant/inbox/\""), script);
    }

    @Test
    void setupCreatesTheBucketTheFunctionsUse() {
        Map<String, String> config = Manifests.named(BASE, ConfigMap.class, "merlai-config").orElseThrow().getData();
        assertEquals(config.get("MERLAI_S3_BUCKET"), setup().get("BUCKET"));
        assertTrue(setup().get("functions-policy.json").contains("arn:aws:s3:::" + setup().get("BUCKET") + "/*"));
    }
}
