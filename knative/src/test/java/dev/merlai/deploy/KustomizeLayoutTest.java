package dev.merlai.deploy;

import io.fabric8.knative.eventing.v1.Broker;
import io.fabric8.knative.eventing.v1alpha1.KafkaSink;
import io.fabric8.knative.serving.v1.Service;
import io.fabric8.knative.sources.v1beta1.KafkaSource;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/** knative/: base/ with numbered files, overlays cpu, gpu and dev, nothing secret or registry-bound committed. */
class KustomizeLayoutTest {

    @Test
    void baseFilesAreNumberedAndAllListedInTheirOrder() throws IOException {
        List<String> files;
        try (Stream<Path> list = Files.list(Manifests.BASE)) {
            files = list.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yaml") && !n.equals("kustomization.yaml")).sorted().toList();
        }
        for (String file : files) assertTrue(file.matches("\\d\\d-[a-z0-9-]+\\.yaml"), file + " is not numbered");
        assertEquals(files, Manifests.resources(Manifests.BASE), "base/kustomization.yaml lists every file, in number order");
    }

    static List<String> overlays() {
        return Manifests.overlays();
    }

    @Test
    void thereAreCpuGpuAndDevOverlays() {
        assertEquals(List.of("cpu", "dev", "gpu"), overlays());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void overlayRendersEveryBaseObject(String overlay) {
        assumeTrue(Manifests.kubectlOnPath(), "kubectl is not on PATH: the overlay cannot be rendered here");
        Set<String> rendered = new HashSet<>();
        Manifests.render(overlay).forEach(o -> rendered.add(key(o)));
        for (HasMetadata object : Manifests.base()) assertTrue(rendered.contains(key(object)), overlay + " lacks " + key(object));
    }

    private static String key(HasMetadata object) {
        return object.getApiVersion() + "/" + object.getKind() + "/" + object.getMetadata().getName();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("overlays")
    void onlyTheDevOverlayRunsAnInMemoryBroker(String overlay) {
        assumeTrue(Manifests.kubectlOnPath(), "kubectl is not on PATH: the overlay cannot be rendered here");
        Broker broker = Manifests.named(Manifests.render(overlay), Broker.class, "merlai").orElseThrow();
        assertEquals(overlay.equals("dev") ? "MTChannelBasedBroker" : "Kafka", broker.getMetadata().getAnnotations().get("eventing.knative.dev/broker.class"));
    }

    @Test
    void noSecretIsCommitted() {
        for (HasMetadata object : Manifests.all()) assertFalse(object.getKind().equals("Secret"), "a Secret is committed: " + object.getMetadata().getName());
    }

    @Test
    void imagesNameNoRegistryAndNoDigest() {
        List<String> images = new ArrayList<>();
        List<HasMetadata> base = Manifests.base();
        Manifests.ofType(base, Service.class).forEach(s -> s.getSpec().getTemplate().getSpec().getContainers().forEach(c -> images.add(c.getImage())));
        Manifests.ofType(base, StatefulSet.class).forEach(s -> s.getSpec().getTemplate().getSpec().getContainers().forEach(c -> images.add(c.getImage())));
        Manifests.ofType(base, Job.class).forEach(j -> j.getSpec().getTemplate().getSpec().getContainers().stream().map(Container::getImage).forEach(images::add));
        for (String overlay : overlays()) {
            Manifests.yaml(Manifests.KNATIVE.resolve("overlays").resolve(overlay).resolve("kustomization.yaml")).path("images")
                    .forEach(i -> images.add(i.path("newName").asText()));
        }
        assertFalse(images.isEmpty());
        for (String image : images) {
            assertFalse(image.contains("@"), image + " pins a digest");
            String first = image.split("/")[0];
            assertFalse(image.contains("/") && (first.contains(".") || first.contains(":") || first.equals("localhost")), image + " names a registry");
        }
    }

    @Test
    void everyKafkaAddressIsTheBrokerConfigs() {
        List<HasMetadata> all = Manifests.all();
        String bootstrap = Manifests.named(all, ConfigMap.class, "merlai-kafka-broker").orElseThrow().getData().get("bootstrap.servers");
        Manifests.ofType(all, KafkaSink.class).forEach(s -> assertEquals(List.of(bootstrap), s.getSpec().getBootstrapServers(), s.getMetadata().getName()));
        Manifests.ofType(all, KafkaSource.class).forEach(s -> assertEquals(List.of(bootstrap), s.getSpec().getBootstrapServers(), s.getMetadata().getName()));
    }
}
