package dev.merlai.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.knative.eventing.v1.Trigger;
import io.fabric8.knative.serving.v1.Service;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.knative.serving.v1.RevisionSpec;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** overlays/gpu puts complete on a GPU node with ONNX Runtime's CUDA provider; overlays/cpu does not. */
class GpuOverlayTest {

    private static final Path GPU = Manifests.KNATIVE.resolve("overlays/gpu");

    private static Service rendered(String overlay, String name) {
        return Manifests.named(Manifests.render(overlay), Service.class, name).orElseThrow();
    }

    /** The value a patch file of the GPU overlay adds at a path. */
    private static JsonNode added(String patch, String path) {
        for (JsonNode op : Manifests.yaml(GPU.resolve(patch))) {
            if (op.path("op").asText().equals("add") && op.path("path").asText().equals(path)) return op.path("value");
        }
        throw new AssertionError(patch + " adds nothing at " + path);
    }

    /** A Go-style duration as Knative writes them: 20m, 90s, 1h. */
    private static Duration goDuration(String text) {
        return Duration.parse("PT" + text.toUpperCase());
    }

    @Test
    void knativeFeatureFlagsAllowAffinityNodeSelectorAndTolerations() {
        ConfigMap features = (ConfigMap) Manifests.read(Manifests.KNATIVE.resolve("cluster/serving-features.yaml")).get(0);
        assertEquals("config-features", features.getMetadata().getName());
        assertEquals("knative-serving", features.getMetadata().getNamespace());
        for (String flag : List.of("kubernetes.podspec-affinity", "kubernetes.podspec-nodeselector", "kubernetes.podspec-tolerations")) {
            assertEquals("enabled", features.getData().get(flag), flag);
        }
    }

    @Test
    void theGpuPatchesSelectComplete() {
        Map<String, String> labels = Manifests.named(Manifests.base(), Service.class, "complete").orElseThrow().getMetadata().getLabels();
        for (JsonNode patch : Manifests.yaml(GPU.resolve("kustomization.yaml")).path("patches")) {
            String[] selector = patch.path("target").path("labelSelector").asText().split("=", 2);
            assertEquals(selector[1], labels.get(selector[0]), patch.path("path").asText() + " does not select complete");
        }
    }

    @Test
    void completeTriggerRetriesOutlastTheGpuProgressDeadline() {
        Duration deadline = goDuration(added("gpu-cold-start.yaml", "/spec/template/metadata/annotations/serving.knative.dev~1progress-deadline").asText());
        assertTrue(deadline.compareTo(Duration.ofMinutes(15)) >= 0, "a cold GPU node takes up to ~14 min; deadline " + deadline);
        Trigger trigger = Manifests.named(Manifests.base(), Trigger.class, "complete-melody-uploaded").orElseThrow();
        Duration first = Duration.parse(trigger.getSpec().getDelivery().getBackoffDelay());
        Duration lastRetry = first.multipliedBy((1L << trigger.getSpec().getDelivery().getRetry()) - 1);
        assertTrue(lastRetry.compareTo(deadline) > 0, "the last retry (" + lastRetry + ") comes before the deadline (" + deadline + ")");
        assertTrue(goDuration(added("gpu-cold-start.yaml", "/spec/template/metadata/annotations/autoscaling.knative.dev~1scale-to-zero-pod-retention-period").asText())
                .compareTo(Duration.ofMinutes(10)) >= 0, "the last pod outlives the cluster autoscaler's 10-minute idle node");
    }

    @Test
    void renderedGpuOverlayPinsCompleteToAGpuNode() {
        assumeTrue(Manifests.kubectlOnPath(), "kubectl is not on PATH: the overlay cannot be rendered here");
        Service complete = rendered("gpu", "complete");
        RevisionSpec pod = complete.getSpec().getTemplate().getSpec();
        var term = pod.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms().get(0);
        assertEquals("nvidia.com/gpu.present", term.getMatchExpressions().get(0).getKey());
        assertTrue(pod.getTolerations().stream().anyMatch(t -> "nvidia.com/gpu".equals(t.getKey()) && "NoSchedule".equals(t.getEffect())));
        Container container = pod.getContainers().get(0);
        assertEquals(new Quantity("1"), container.getResources().getLimits().get("nvidia.com/gpu"));
        assertTrue(container.getEnv().stream().anyMatch(e -> "MERLAI_ORT_DEVICE".equals(e.getName()) && "gpu".equals(e.getValue())),
                "ONNX Runtime's CUDA provider is switched on");
        assertEquals("merlai-complete-gpu", container.getImage());
        assertEquals("0", complete.getSpec().getTemplate().getMetadata().getAnnotations().get("autoscaling.knative.dev/min-scale"));
    }

    @Test
    void renderedGpuOverlayLeavesTheOtherFunctionsOnCpuNodes() {
        assumeTrue(Manifests.kubectlOnPath(), "kubectl is not on PATH: the overlay cannot be rendered here");
        List<HasMetadata> objects = Manifests.render("gpu");
        for (Service service : Manifests.ofType(objects, Service.class)) {
            if (service.getMetadata().getName().equals("complete")) continue;
            assertNull(service.getSpec().getTemplate().getSpec().getAffinity(), service.getMetadata().getName());
            assertNull(service.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits().get("nvidia.com/gpu"));
        }
    }

    @Test
    void renderedCpuOverlayAsksForNoGpu() {
        assumeTrue(Manifests.kubectlOnPath(), "kubectl is not on PATH: the overlay cannot be rendered here");
        Service complete = rendered("cpu", "complete");
        assertNull(complete.getSpec().getTemplate().getSpec().getAffinity());
        assertNull(complete.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits().get("nvidia.com/gpu"));
        assertEquals("merlai-complete", complete.getSpec().getTemplate().getSpec().getContainers().get(0).getImage());
    }

    @Test
    void renderedGpuOverlayPutsTrainingJobsOnGpuNodesAndTheCpuOverlayDoesNot() {
        assumeTrue(Manifests.kubectlOnPath(), "kubectl is not on PATH: the overlay cannot be rendered here");
        Job gpu = Manifests.named(Manifests.render("gpu"), Job.class, "merlai-training-template").orElseThrow();
        PodSpec pod = gpu.getSpec().getTemplate().getSpec();
        var term = pod.getAffinity().getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms().get(0);
        assertEquals("nvidia.com/gpu.present", term.getMatchExpressions().get(0).getKey());
        assertTrue(pod.getTolerations().stream().anyMatch(t -> "nvidia.com/gpu".equals(t.getKey()) && "NoSchedule".equals(t.getEffect())));
        assertEquals(new Quantity("1"), pod.getContainers().get(0).getResources().getLimits().get("nvidia.com/gpu"));
        assertTrue(gpu.getSpec().getSuspend(), "the template never runs a pod itself");

        Job cpu = Manifests.named(Manifests.render("cpu"), Job.class, "merlai-training-template").orElseThrow();
        assertNull(cpu.getSpec().getTemplate().getSpec().getAffinity());
        assertNull(cpu.getSpec().getTemplate().getSpec().getContainers().get(0).getResources().getLimits().get("nvidia.com/gpu"));
    }
}
