package dev.merlai.arranger.model;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.MalformedModelException;
import ai.djl.Model;
import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import ai.djl.translate.Translator;
import com.fasterxml.jackson.databind.JsonNode;
import dev.merlai.arranger.grid.MetricGrid;
import dev.merlai.arranger.roll.NoteLogits;
import dev.merlai.arranger.roll.PianoRoll;
import dev.merlai.music.Score;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * The five trained models, loaded once (at start-up) and shared by every request; each call gets its own
 * {@link Predictor}, as DJL wants: chords, texture, the downbeat model that lays bar lines when a file's are
 * wrong, the drummer ({@link DrumModel}) and the performer's dynamics ({@link DynamicsModel}). They come from a directory holding {@code merlai-chords}, {@code merlai-texture} and
 * {@code merlai-downbeat} ({@code .onnx} + {@code .json} metadata): by default the ones shipped inside this jar.
 */
public final class ArrangementModels implements AutoCloseable {

    public static final String CHORDS = "merlai-chords";
    public static final String TEXTURE = "merlai-texture";
    public static final String DOWNBEAT = "merlai-downbeat";
    /** The chord model fine-tuned for live sessions (the melody heard, then the live engine's guess of what follows); same contract. */
    public static final String LIVE_CHORDS = "merlai-chords-live";
    private static final String SHIPPED = "/dev/merlai/models/";

    private final ZooModel<MelodyFeatures, ChordLogProbabilities> chords;
    private final ZooModel<TextureInput, NoteLogits> texture;
    private final ModelMetadata chordsMetadata;
    private final ModelMetadata textureMetadata;
    private final DownbeatModel downbeat;
    private final String downbeatVersion;
    private final DrumModel drums;
    private final DynamicsModel dynamics;
    /** The folder that holds the live chord model, found when first asked for (null: these models have none). */
    private final Folder liveChordsFolder;
    private final int threads;
    private final boolean gpu;
    /** {@link #forLive()}'s models, once asked for; guarded by {@code this}. */
    private ArrangementModels live;
    private ZooModel<MelodyFeatures, ChordLogProbabilities> liveChords;

    private ArrangementModels(ZooModel<MelodyFeatures, ChordLogProbabilities> chords, ZooModel<TextureInput, NoteLogits> texture,
                              DownbeatModel downbeat, ModelMetadata chordsMetadata,
                              ModelMetadata textureMetadata, String downbeatVersion, DrumModel drums, DynamicsModel dynamics,
                              Folder liveChordsFolder, int threads, boolean gpu) {
        this.chords = chords;
        this.liveChordsFolder = liveChordsFolder;
        this.threads = threads;
        this.gpu = gpu;
        this.texture = texture;
        this.downbeat = downbeat;
        this.drums = drums;
        this.dynamics = dynamics;
        this.chordsMetadata = chordsMetadata;
        this.textureMetadata = textureMetadata;
        this.downbeatVersion = downbeatVersion;
    }

    /** Loads the models shipped in the jar, on the CPU. */
    public static ArrangementModels loadShipped(int threads) throws IOException {
        return loadShipped(threads, false);
    }

    /** Loads the models shipped in the jar; {@code gpu} selects ONNX Runtime's CUDA provider (GPU 0). */
    public static ArrangementModels loadShipped(int threads, boolean gpu) throws IOException {
        Loaders loaders = Loaders.start();
        Path dir;
        try {
            dir = unpackShipped(List.of(CHORDS, TEXTURE, DOWNBEAT, DrumModel.NAME, DynamicsModel.NAME));
        } catch (IOException | RuntimeException e) {
            awaitQuietly(loaders.pool());
            throw e;
        }
        return load(dir, threads, gpu, loaders, () -> unpackShipped(List.of(LIVE_CHORDS)));
    }

    /** The models in {@code dir} when one is configured (not blank), else the shipped ones: how every service picks them. */
    public static ArrangementModels load(Optional<String> dir, int threads, boolean gpu) throws IOException {
        Optional<String> configured = dir.filter(folder -> !folder.isBlank());
        return configured.isPresent() ? load(Path.of(configured.get()), threads, gpu) : loadShipped(threads, gpu);
    }

    /** Copies the shipped models of these names ({@code .onnx} + {@code .json}) out of the jar into a new temporary folder. */
    static Path unpackShipped(List<String> names) throws IOException {
        Path dir = Files.createTempDirectory("merlai-models");
        dir.toFile().deleteOnExit();
        for (String name : names) {
            for (String extension : new String[]{".onnx", ".json"}) {
                try (InputStream in = ArrangementModels.class.getResourceAsStream(SHIPPED + name + extension)) {
                    if (in == null) throw new IOException("the jar lacks the shipped model file " + name + extension + " (build with models/ present)");
                    Path file = dir.resolve(name + extension);
                    Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                    file.toFile().deleteOnExit();
                }
            }
        }
        return dir;
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
        return load(dir, threads, gpu, Loaders.start(), Files.exists(dir.resolve(LIVE_CHORDS + ".onnx")) ? () -> dir : null);
    }

    /**
     * The threads that open the five sessions, in parallel (each session's parsing and initialisers take one core). The
     * first of them starts ONNX Runtime at once (DJL's engine, the native libraries, the environment), while the caller
     * unpacks the models and reads their metadata: every session waits for it, as its first use is not safe to race.
     */
    private record Loaders(ExecutorService pool, Future<?> engine) {
        static Loaders start() {
            ExecutorService pool = Executors.newFixedThreadPool(5, runnable -> {
                Thread thread = new Thread(runnable, "merlai-model-load");
                thread.setDaemon(true);
                return thread;
            });
            return new Loaders(pool, pool.submit(() -> Engine.getEngine("OnnxRuntime")));
        }
    }

    /** Where a model's files are, found when needed. */
    private interface Folder {
        Path find() throws IOException;
    }

    private static ArrangementModels load(Path dir, int threads, boolean gpu, Loaders started, Folder liveChordsFolder) throws IOException {
        ExecutorService loaders = started.pool();
        List<AutoCloseable> opened = Collections.synchronizedList(new ArrayList<>());
        try {
            ModelMetadata chordsMetadata = readJson(dir.resolve(CHORDS + ".json"), ModelMetadata::read);
            ModelMetadata textureMetadata = readJson(dir.resolve(TEXTURE + ".json"), ModelMetadata::read);
            String downbeatVersion = readJson(dir.resolve(DOWNBEAT + ".json"), ModelMetadata::nameAndVersion);
            checkLayout(chordsMetadata, textureMetadata);
            loaded(started.engine());
            Future<ZooModel<MelodyFeatures, ChordLogProbabilities>> chords = loaders.submit(() -> open(dir.resolve(CHORDS + ".onnx"),
                    new ChordTranslator(chordsMetadata.chordVocabulary()), threads, gpu, opened));
            Future<ZooModel<TextureInput, NoteLogits>> texture = loaders.submit(() -> open(dir.resolve(TEXTURE + ".onnx"),
                    new TextureTranslator(textureMetadata.layout()), threads, gpu, opened));
            Future<DownbeatModel> downbeat = loaders.submit(() -> DownbeatModel.load(dir, threads, gpu, opened));
            Future<DrumModel> drums = loaders.submit(() -> DrumModel.load(dir, threads, gpu, opened));
            Future<DynamicsModel> dynamics = loaders.submit(() -> DynamicsModel.load(dir, threads, gpu, opened));
            loaders.shutdown();
            return new ArrangementModels(loaded(chords), loaded(texture), loaded(downbeat), chordsMetadata, textureMetadata,
                    downbeatVersion, loaded(drums), loaded(dynamics), liveChordsFolder, threads, gpu);
        } catch (IOException | RuntimeException e) {
            awaitQuietly(loaders);
            for (AutoCloseable model : opened) {
                try {
                    model.close();
                } catch (Exception ignored) {
                    // already failing: the load error is the one to report
                }
            }
            throw e;
        }
    }

    /** The model a loader thread opened, or the failure that stopped it. */
    private static <T> T loaded(Future<T> model) throws IOException {
        try {
            return model.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while loading the models", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) throw io;
            if (e.getCause() instanceof RuntimeException runtime) throw runtime;
            throw new IllegalStateException("cannot load the models: " + e.getCause(), e.getCause());
        }
    }

    /** Lets the other loaders finish after one failed, so that every model they opened is closed, none leaked. */
    private static void awaitQuietly(ExecutorService loaders) {
        loaders.shutdown();
        try {
            loaders.awaitTermination(5, TimeUnit.MINUTES);
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The models must read the arranger's grid (16th steps), the texture model its piano roll's channels, and the
     * chord model must name its chords: a model trained otherwise is refused at load, not misread.
     */
    private static void checkLayout(ModelMetadata chords, ModelMetadata texture) throws IOException {
        int gridStepsPerQuarter = (int) (Score.TICKS_PER_QUARTER / MetricGrid.STEP_TICKS);
        for (ModelMetadata model : List.of(chords, texture)) {
            if (model.layout().stepsPerQuarter() != gridStepsPerQuarter) {
                throw new IOException(model.name() + " reads " + model.layout().stepsPerQuarter() + " steps per quarter; the arranger's grid has " + gridStepsPerQuarter);
            }
        }
        if (!texture.channels().equals(PianoRoll.CHANNELS)) {
            throw new IOException(texture.name() + " writes the channels " + texture.channels() + "; the piano roll has " + PianoRoll.CHANNELS);
        }
        if (chords.chordVocabulary() == null) throw new IOException(chords.name() + " names no chord_vocabulary");
    }

    private interface JsonReader<T> {
        T read(InputStream in) throws IOException;
    }

    /** The JSON metadata of model {@code name} in {@code folder}, as a tree. */
    static JsonNode metadata(Path folder, String name) throws IOException {
        return readJson(folder.resolve(name + ".json"), ModelMetadata::tree);
    }

    /**
     * {@code dir} when it holds model {@code name}, else the folder the shipped models are unpacked to (a personalised
     * model folder carries only chords and texture).
     */
    static Path folderOf(Path dir, String name) throws IOException {
        return Files.exists(dir.resolve(name + ".onnx")) ? dir : unpackShipped(List.of(name));
    }

    /** One call of a model through its own predictor; a failure names the model. */
    static <I, O> O predictOnce(ZooModel<I, O> model, I input, String what) {
        try (Predictor<I, O> predictor = model.newPredictor()) {
            return predictor.predict(input);
        } catch (TranslateException e) {
            throw new IllegalStateException("the " + what + " model failed: " + e.getMessage(), e);
        }
    }

    private static <T> T readJson(Path file, JsonReader<T> reader) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return reader.read(in);
        }
    }

    /**
     * Opens one model's ONNX Runtime session, straight from its file: DJL's model zoo lookup (Criteria) would find
     * the same file and load it the same way, after scanning its repositories and translator factories (70 ms of CPU
     * on a cold start).
     */
    static <I, O> ZooModel<I, O> open(Path file, Translator<I, O> translator, int threads, boolean gpu, List<AutoCloseable> opened)
            throws IOException {
        Map<String, String> options = threads > 0 ? Map.of("intraOpNumThreads", Integer.toString(threads), "interOpNumThreads", "1") : Map.of();
        Model model = Model.newInstance(file.getFileName().toString(), gpu ? Device.gpu() : Device.cpu(), "OnnxRuntime");
        try {
            model.load(file, null, options);
        } catch (MalformedModelException e) {
            model.close();
            throw new IOException("cannot load model " + file + ": " + e.getMessage(), e);
        }
        ZooModel<I, O> loaded = new ZooModel<>(model, translator);
        opened.add(loaded);
        return loaded;
    }

    /** Per step, the log-probability of each chord of the vocabulary. */
    public ChordLogProbabilities predictChords(MelodyFeatures melody) {
        return predictOnce(chords, melody, "chord");
    }

    /** Note logits per step, part and key. */
    public NoteLogits predictTexture(TextureInput input) {
        return predictOnce(texture, input, "texture");
    }

    public ModelMetadata chordsMetadata() {
        return chordsMetadata;
    }

    public ModelMetadata textureMetadata() {
        return textureMetadata;
    }

    /**
     * The downbeat model: per 16th step of a melody, log P(downbeat), log P(other beat), log P(between beats);
     * finds the bar lines when a file's are wrong.
     */
    public float[][] classifyBeats(long[] melodyPitch, float[] melodyOnset) {
        return downbeat.classify(melodyPitch, melodyOnset);
    }

    /** The drum model: a drum part bar by bar. */
    public DrumModel drums() {
        return drums;
    }

    /** The dynamics model: each accompaniment note's velocity and micro-timing. */
    public DynamicsModel dynamics() {
        return dynamics;
    }

    /**
     * The same models for songs arranged side by side in {@code lockStep}: their drum and dynamics calls are answered
     * together. A view of these models, which stay open while it is used; it is not to be closed itself.
     */
    public ArrangementModels inStep(LockStep lockStep) {
        return new ArrangementModels(chords, texture, downbeat, chordsMetadata, textureMetadata, downbeatVersion, drums.inStep(lockStep),
                dynamics.inStep(lockStep), liveChordsFolder, threads, gpu);
    }

    /**
     * The same models with the live chord model ({@link #LIVE_CHORDS}) in place of the chord model, when the chord
     * model's folder holds one (the shipped models do, unpacked only now: the offline functions never ask; a tenant's
     * personal model does not, and keeps its own chords); else these models. Opened on the first call and closed with
     * these models; a view, not to be closed itself.
     */
    public synchronized ArrangementModels forLive() {
        if (live != null) return live;
        if (liveChordsFolder == null) return live = this;
        Path file = null;
        try {
            Path folder = liveChordsFolder.find();
            file = folder.resolve(LIVE_CHORDS + ".onnx");
            ModelMetadata metadata = readJson(folder.resolve(LIVE_CHORDS + ".json"), ModelMetadata::read);
            if (!metadata.chordVocabulary().equals(chordsMetadata.chordVocabulary())) {
                throw new IOException(LIVE_CHORDS + " names other chords than " + chordsMetadata.name());
            }
            List<AutoCloseable> opened = new ArrayList<>();
            liveChords = open(file, new ChordTranslator(metadata.chordVocabulary()), threads, gpu, opened);
            live = new ArrangementModels(liveChords, texture, downbeat, metadata, textureMetadata, downbeatVersion, drums, dynamics,
                    liveChordsFolder, threads, gpu);
            live.live = live;
            return live;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load the live chord model" + (file == null ? "" : " " + file) + ": " + e.getMessage(), e);
        }
    }

    /** One version string for the five models, recorded with every result and part of the result cache's key. */
    public String version() {
        return chordsMetadata.name() + "@" + chordsMetadata.version() + "+" + textureMetadata.name() + "@" + textureMetadata.version()
                + "+" + downbeatVersion + "+" + drums.version() + "+" + dynamics.version();
    }

    @Override
    public void close() {
        synchronized (this) {
            if (liveChords != null) liveChords.close();
        }
        chords.close();
        texture.close();
        downbeat.close();
        drums.close();
        dynamics.close();
    }

}
