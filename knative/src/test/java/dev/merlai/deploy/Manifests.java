package dev.merlai.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/** Reads the Kustomize tree under knative/ into typed fabric8 objects (Knative ones from fabric8's knative-model). */
final class Manifests {

    static final Path REPO = Path.of(System.getProperty("merlai.repo.root", "..")).toAbsolutePath().normalize();
    static final Path KNATIVE = REPO.resolve("knative");
    static final Path BASE = KNATIVE.resolve("base");

    private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();
    private static final YAMLMapper YAML = new YAMLMapper();

    private Manifests() {
    }

    /** The functions: each folder functions/NAME with a pom.xml, by name. */
    static List<String> functions() {
        try (Stream<Path> dirs = Files.list(REPO.resolve("functions"))) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("pom.xml"))).map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The functions that take CloudEvents (Funqy Knative Events in their pom): the ones Triggers deliver to. */
    static List<String> eventFunctions() {
        return functions().stream().filter(Manifests::takesEvents).toList();
    }

    private static boolean takesEvents(String function) {
        try {
            return Files.readString(REPO.resolve("functions").resolve(function).resolve("pom.xml")).contains("quarkus-funqy-knative-events");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The overlays: each folder under knative/overlays, by name. */
    static List<String> overlays() {
        try (Stream<Path> dirs = Files.list(KNATIVE.resolve("overlays"))) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve("kustomization.yaml"))).map(d -> d.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every object in the base, in the order of its kustomization.yaml. */
    static List<HasMetadata> base() {
        List<HasMetadata> objects = new ArrayList<>();
        for (String file : resources(BASE)) objects.addAll(read(BASE.resolve(file)));
        return objects;
    }

    /** The {@code resources} of the kustomization.yaml in a folder. */
    static List<String> resources(Path dir) {
        List<String> resources = new ArrayList<>();
        yaml(dir.resolve("kustomization.yaml")).path("resources").forEach(r -> resources.add(r.asText()));
        return resources;
    }

    static JsonNode yaml(Path file) {
        try {
            return YAML.readTree(file.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<HasMetadata> read(Path file) {
        try {
            return parse(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every document of a multi-document YAML stream, typed by apiVersion and kind. */
    static List<HasMetadata> parse(String yaml) {
        List<HasMetadata> objects = new ArrayList<>();
        for (String document : yaml.split("(?m)^---\\s*$")) {
            boolean empty = document.lines().map(String::strip).allMatch(l -> l.isEmpty() || l.startsWith("#"));
            if (!empty) objects.add(SERIALIZATION.unmarshal(document, HasMetadata.class));
        }
        return objects;
    }

    static <T extends HasMetadata> List<T> ofType(List<HasMetadata> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends HasMetadata> Optional<T> named(List<HasMetadata> objects, Class<T> type, String name) {
        return ofType(objects, type).stream().filter(o -> name.equals(o.getMetadata().getName())).findFirst();
    }

    /** Every YAML file under knative/ that is not a kustomization or a patch: what someone may apply. */
    static List<Path> manifestFiles() {
        try (Stream<Path> files = Files.walk(KNATIVE)) {
            return files.filter(f -> f.toString().endsWith(".yaml") && !f.startsWith(KNATIVE.resolve("overlays"))
                    && !f.startsWith(KNATIVE.resolve("target")) && !f.getFileName().toString().equals("kustomization.yaml")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every object anyone may apply: the base, the cluster patches and the replay tool. */
    static List<HasMetadata> all() {
        return manifestFiles().stream().flatMap(f -> read(f).stream()).toList();
    }

    static boolean kubectlOnPath() {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(java.io.File.pathSeparator)).anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, "kubectl")));
    }

    /** {@code kubectl kustomize knative/overlays/NAME}, parsed. */
    static List<HasMetadata> render(String overlay) {
        try {
            Process process = new ProcessBuilder("kubectl", "kustomize", KNATIVE.resolve("overlays").resolve(overlay).toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("kubectl kustomize " + overlay + " failed");
            }
            return parse(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
