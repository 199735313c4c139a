package dev.merlai.models;

import io.quarkus.runtime.annotations.StaticInitSafe;
import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.util.Optional;

/**
 * How the models are loaded, {@code merlai.models.*}: read once, for the base models and the tenants' alike. Safe at
 * static init (application.properties, system properties and the environment are all there then), where the base models
 * start loading ({@link ModelRegistry}).
 */
@StaticInitSafe
@ConfigMapping(prefix = "merlai.models")
public interface ModelSettings {

    /** The base models' folder; empty: the ones shipped in the arranger's jar. */
    Optional<String> dir();

    /** ONNX Runtime's intra-op threads per inference. */
    int threads();

    /** {@code cpu}, or {@code gpu}: ONNX Runtime's CUDA provider. */
    @WithDefault("cpu")
    String device();

    /** How many tenants' models stay loaded (least recently used go first). */
    @WithDefault("4")
    int tenantCacheSize();

    default boolean gpu() {
        return "gpu".equalsIgnoreCase(device().strip());
    }
}
