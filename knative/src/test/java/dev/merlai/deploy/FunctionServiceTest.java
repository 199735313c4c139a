package dev.merlai.deploy;

import io.fabric8.knative.serving.v1.Service;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every function (a folder functions/NAME with a pom.xml) has a Knative Service in the base, shaped for Knative. */
class FunctionServiceTest {

    private static final List<HasMetadata> BASE = Manifests.base();

    static List<String> functions() {
        return Manifests.functions();
    }

    private static Service service(String function) {
        return Manifests.named(BASE, Service.class, function)
                .orElseThrow(() -> new AssertionError("functions/" + function + " has no Knative Service named " + function
                        + " in knative/base (add 5x-function-" + function + ".yaml and list it in the kustomization)"));
    }

    private static Container container(String function) {
        List<Container> containers = service(function).getSpec().getTemplate().getSpec().getContainers();
        assertEquals(1, containers.size(), function + " runs one container");
        return containers.get(0);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void scalesToZeroAndHasAMaximum(String function) {
        Map<String, String> annotations = service(function).getSpec().getTemplate().getMetadata().getAnnotations();
        assertEquals("0", annotations.get("autoscaling.knative.dev/min-scale"), function + " scales to zero");
        String max = annotations.get("autoscaling.knative.dev/max-scale");
        assertNotNull(max, function + " has a max-scale");
        assertTrue(Integer.parseInt(max) >= 1, function + " max-scale " + max);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void capsConcurrencyAndScalesOutBeforeTheCap(String function) {
        Service service = service(function);
        Long cap = service.getSpec().getTemplate().getSpec().getContainerConcurrency();
        assertNotNull(cap, function + " sets containerConcurrency");
        assertTrue(cap > 0, function + " containerConcurrency " + cap + " (0 would mean unlimited)");
        String target = service.getSpec().getTemplate().getMetadata().getAnnotations().get("autoscaling.knative.dev/target");
        assertNotNull(target, function + " sets an autoscaling target");
        assertTrue(Double.parseDouble(target) <= cap, function + ": target " + target + " above the hard cap " + cap);
    }

    @Test
    void inferenceTakesAtMostTwoRequestsAPod() {
        assertTrue(service("complete").getSpec().getTemplate().getSpec().getContainerConcurrency() <= 2);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void requestsAndLimitsCpuAndMemory(String function) {
        var resources = container(function).getResources();
        for (String kind : List.of("cpu", "memory")) {
            assertNotNull(resources.getRequests().get(kind), function + " requests " + kind);
            assertNotNull(resources.getLimits().get(kind), function + " limits " + kind);
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void isProbedOnTheQuarkusHealthPathsAtPort8080(String function) {
        Container container = container(function);
        assertEquals("/q/health/ready", container.getReadinessProbe().getHttpGet().getPath());
        assertEquals("/q/health/live", container.getLivenessProbe().getHttpGet().getPath());
        assertEquals(8080, container.getPorts().get(0).getContainerPort());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void takesConfigurationFromTheConfigMapAndCredentialsFromSecrets(String function) {
        Container container = container(function);
        assertTrue(container.getEnvFrom().stream().anyMatch(e -> e.getConfigMapRef() != null && "merlai-config".equals(e.getConfigMapRef().getName())),
                function + " reads the ConfigMap merlai-config");
        for (String secret : List.of("MERLAI_S3_ACCESS_KEY", "MERLAI_S3_SECRET_KEY")) {
            EnvVar env = container.getEnv().stream().filter(e -> secret.equals(e.getName())).findFirst()
                    .orElseThrow(() -> new AssertionError(function + " lacks " + secret));
            assertNotNull(env.getValueFrom().getSecretKeyRef(), secret + " comes from a Secret");
        }
        assertTrue(container.getEnv().stream().noneMatch(e -> e.getValue() != null && e.getName().matches(".*(KEY|SECRET|PASSWORD).*")),
                function + " has a credential written into the manifest");
    }

    /** Redis asks for a password, and the functions sign the API keys they cache there: both from the Secret the Redis reads. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void signsInToRedisAndSignsItsCacheWithTheSecretMerlaiRedis(String function) {
        Map<String, String> keys = Map.of("QUARKUS_REDIS_PASSWORD", "password", "MERLAI_KEY_CACHE_SECRET", "key-cache-secret");
        keys.forEach((variable, key) -> {
            EnvVar env = container(function).getEnv().stream().filter(e -> variable.equals(e.getName())).findFirst()
                    .orElseThrow(() -> new AssertionError(function + " lacks " + variable));
            assertEquals("merlai-redis", env.getValueFrom().getSecretKeyRef().getName(), variable);
            assertEquals(key, env.getValueFrom().getSecretKeyRef().getKey(), variable);
        });
        Container redis = BASE.stream().filter(r -> r instanceof StatefulSet && "redis".equals(r.getMetadata().getName()))
                .map(r -> ((StatefulSet) r).getSpec().getTemplate().getSpec().getContainers().get(0))
                .findFirst().orElseThrow();
        int requirepass = redis.getArgs().indexOf("--requirepass");
        assertTrue(requirepass >= 0, "Redis asks for a password");
        assertEquals("$(REDIS_PASSWORD)", redis.getArgs().get(requirepass + 1));
        EnvVar password = redis.getEnv().stream().filter(e -> "REDIS_PASSWORD".equals(e.getName())).findFirst().orElseThrow();
        assertEquals("merlai-redis", password.getValueFrom().getSecretKeyRef().getName());
        assertEquals("password", password.getValueFrom().getSecretKeyRef().getKey());
    }

    /** account's /admin (tenants, reconcile) and recommend-plugin's /admin/plugins (the catalog) take one operator credential. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"account", "recommend-plugin"})
    void theAdminRoutesTakeTheOneOperatorCredentialFromASecret(String function) {
        EnvVar token = container(function).getEnv().stream().filter(e -> "MERLAI_ADMIN_TOKEN".equals(e.getName())).findFirst()
                .orElseThrow(() -> new AssertionError(function + " lacks MERLAI_ADMIN_TOKEN: every admin call would be refused"));
        assertEquals("merlai-admin", token.getValueFrom().getSecretKeyRef().getName());
    }

    /**
     * The operator's credential goes only where an /admin route is (a function's sources declare one): a function
     * without one never needs it, and one less place holds it.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("functions")
    void onlyAFunctionWithAdminRoutesHoldsTheOperatorCredential(String function) throws IOException {
        boolean adminRoutes;
        try (Stream<Path> sources = Files.walk(Manifests.REPO.resolve("functions/" + function + "/src/main/java"))) {
            adminRoutes = sources.filter(f -> f.toString().endsWith(".java")).anyMatch(f -> read(f).contains("\"/admin/"));
        }
        boolean holdsToken = container(function).getEnv().stream().anyMatch(e -> "MERLAI_ADMIN_TOKEN".equals(e.getName()));
        assertEquals(adminRoutes, holdsToken, function + (adminRoutes ? " has /admin routes but no MERLAI_ADMIN_TOKEN" : " has no /admin route but holds MERLAI_ADMIN_TOKEN"));
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void theConfigMapCarriesEverySettingTheCodeReadsAndNoCredential() {
        Map<String, String> config = Manifests.named(BASE, ConfigMap.class, "merlai-config").orElseThrow().getData();
        for (String key : List.of("MERLAI_S3_ENDPOINT", "MERLAI_S3_BUCKET", "MERLAI_S3_REGION", "QUARKUS_REDIS_HOSTS",
                "MERLAI_MODELS_THREADS", "MERLAI_ORT_DEVICE")) {
            assertTrue(config.containsKey(key), "merlai-config lacks " + key);
        }
        assertEquals("merlai", config.get("MERLAI_S3_BUCKET"));
        assertEquals("", config.get("MERLAI_ORT_DEVICE"), "the base runs ONNX Runtime on the CPU");
        assertFalse(config.containsKey("MERLAI_S3_ACCESS_KEY") || config.containsKey("MERLAI_S3_SECRET_KEY"));
    }
}
