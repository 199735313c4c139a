package dev.merlai.arranger.model;

import ai.djl.Device;
import ai.djl.MalformedModelException;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.Criteria;
import ai.djl.repository.zoo.ModelNotFoundException;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import dev.merlai.arranger.grid.MeterProfile;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The two trained models, loaded once (at start-up) and shared by every request; each call gets its own
 * {@link Predictor}, as DJL wants. The models come from a directory holding {@code merlai-chords.onnx},
 * {@code merlai-texture.onnx} and their {@code .json} metadata, and the learned meter profile
 * {@code merlai-meter.json}: by default the ones shipped inside this jar.
 */
public final class ArrangementModels implements AutoCloseable {

    public static final String CHORDS = "merlai-chords";
    public static final String TEXTURE = "merlai-texture";
    public static final String METER = "merlai-meter";
    private static final String SHIPPED = "/dev/merlai/models/";

    private final ZooModel<MelodyFeatures, float[][]> chords;
    private final ZooModel<TextureInput, float[]> texture;
    private final ModelMetadata chordsMetadata;
    private final ModelMetadata textureMetadata;
    private final MeterProfile meterProfile;

    private ArrangementModels(ZooModel<MelodyFeatures, float[][]> chords, ZooModel<TextureInput, float[]> texture,
                              ModelMetadata chordsMetadata, ModelMetadata textureMetadata, MeterProfile meterProfile) {
        this.chords = chords;
        this.texture = texture;
        this.chordsMetadata = chordsMetadata;
        this.textureMetadata = textureMetadata;
        this.meterProfile = meterProfile;
    }

    /** Loads the models shipped in the jar, on the CPU. */
    public static ArrangementModels loadShipped(int threads) throws IOException {
        return loadShipped(threads, false);
    }

    /** Loads the models shipped in the jar; {@code gpu} selects ONNX Runtime's CUDA provider (GPU 0). */
    public static ArrangementModels loadShipped(int threads, boolean gpu) throws IOException {
        Path dir = Files.createTempDirectory("merlai-models");
        dir.toFile().deleteOnExit();
        for (String name : new String[]{CHORDS, TEXTURE}) {
            for (String extension : new String[]{".onnx", ".json"}) {
                try (InputStream in = ArrangementModels.class.getResourceAsStream(SHIPPED + name + extension)) {
                    if (in == null) throw new IOException("the jar lacks the shipped model file " + name + extension + " (build with models/ present)");
                    Path file = dir.resolve(name + extension);
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                    file.toFile().deleteOnExit();
                }
            }
        }
        try (InputStream in = ArrangementModels.class.getResourceAsStream(SHIPPED + METER + ".json")) {
            if (in == null) throw new IOException("the jar lacks the shipped meter profile " + METER + ".json");
            Files.copy(in, dir.resolve(METER + ".json"), StandardCopyOption.REPLACE_EXISTING);
            dir.resolve(METER + ".json").toFile().deleteOnExit();
        }
        return load(dir, threads, gpu);
    }

    /** Loads the models from a directory, on the CPU. */
    public static ArrangementModels load(Path dir, int threads) throws IOException {
        return load(dir, threads, false);
    }

    /**
     * Loads the models from a directory; {@code threads} is ONNX Runtime's intra-op thread count (0 = its
     * default); {@code gpu} selects ONNX Runtime's CUDA provider on GPU 0 (the GPU build of ONNX Runtime must
     * be on the class path: Maven profile {@code gpu}).
     */
    public static ArrangementModels load(Path dir, int threads, boolean gpu) throws IOException {
        ModelMetadata chordsMetadata = metadata(dir.resolve(CHORDS + ".json"));
        ModelMetadata textureMetadata = metadata(dir.resolve(TEXTURE + ".json"));
        MeterProfile meterProfile;
        try (InputStream in = Files.newInputStream(dir.resolve(METER + ".json"))) {
            meterProfile = MeterProfile.read(in);
        }
        ZooModel<MelodyFeatures, float[][]> chords = open(dir.resolve(CHORDS + ".onnx"), MelodyFeatures.class, float[][].class, new ChordTranslator(), threads, gpu);
        try {
            ZooModel<TextureInput, float[]> texture = open(dir.resolve(TEXTURE + ".onnx"), TextureInput.class, float[].class, new TextureTranslator(), threads, gpu);
            return new ArrangementModels(chords, texture, chordsMetadata, textureMetadata, meterProfile);
        } catch (IOException | RuntimeException e) {
            chords.close();
            throw e;
        }
    }

    private static ModelMetadata metadata(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return ModelMetadata.read(in);
        }
    }

    private static <I, O> ZooModel<I, O> open(Path file, Class<I> in, Class<O> out, Translator<I, O> translator, int threads,
                                              boolean gpu) throws IOException {
        Criteria.Builder<I, O> builder = Criteria.builder().setTypes(in, out)
                .optModelPath(file)
                .optEngine("OnnxRuntime")
                .optDevice(gpu ? Device.gpu() : Device.cpu())
                .optTranslator(translator);
        if (threads > 0) builder.optOption("intraOpNumThreads", Integer.toString(threads)).optOption("interOpNumThreads", "1");
        try {
            return builder.build().loadModel();
        } catch (ModelNotFoundException | MalformedModelException e) {
            throw new IOException("cannot load model " + file + ": " + e.getMessage(), e);
        }
    }

    /** Chord logits per step, [steps][vocabulary]. */
    public float[][] predictChords(MelodyFeatures melody) {
        try (Predictor<MelodyFeatures, float[][]> predictor = chords.newPredictor()) {
            return predictor.predict(melody);
        } catch (TranslateException e) {
            throw new IllegalStateException("the chord model failed: " + e.getMessage(), e);
        }
    }

    /** Note logits, flat [steps x 4 x 88]. */
    public float[] predictTexture(TextureInput input) {
        try (Predictor<TextureInput, float[]> predictor = texture.newPredictor()) {
            return predictor.predict(input);
        } catch (TranslateException e) {
            throw new IllegalStateException("the texture model failed: " + e.getMessage(), e);
        }
    }

    public ModelMetadata chordsMetadata() {
        return chordsMetadata;
    }

    public ModelMetadata textureMetadata() {
        return textureMetadata;
    }

    /** Where melody notes start in the bar, per metre: finds downbeats when a file's bar lines are wrong. */
    public MeterProfile meterProfile() {
        return meterProfile;
    }

    /** One version string for both models, recorded with every result. */
    public String version() {
        return chordsMetadata.name() + "@" + chordsMetadata.version() + "+" + textureMetadata.name() + "@" + textureMetadata.version();
    }

    @Override
    public void close() {
        chords.close();
        texture.close();
    }

}
