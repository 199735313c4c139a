package dev.merlai.arranger.model;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.types.Shape;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.NoBatchifyTranslator;
import ai.djl.translate.TranslatorContext;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The trained dynamics model ({@code merlai-dynamics.onnx}, from POP909's performed piano and bridge tracks): per
 * accompaniment note, from its {@link #FEATURES} row, the mean and log-std of its velocity less its track's mean and
 * of its micro-timing offset from the 16th grid (in 16ths). One call answers all of a part's notes; for songs arranged
 * in {@link LockStep}, the parts of several songs together (a note's row is answered alone: the rows are independent).
 */
public final class DynamicsModel implements AutoCloseable {

    public static final String NAME = "merlai-dynamics";
    /** The feature row, in the order the model reads it (its metadata lists the same; the load checks). */
    public static final List<String> FEATURES = features();
    public static final int METRIC_POSITIONS = 16;
    public static final int PHRASE_BARS = 8;
    private static final int PARAMS = 4;

    /** Per note, in order: velocity mean, velocity log-std, offset mean, offset log-std. */
    public record NoteParams(float[] params) {

        public int size() {
            return params.length / PARAMS;
        }

        public double velocityMean(int note) {
            return params[note * PARAMS];
        }

        public double velocityStd(int note) {
            return Math.exp(params[note * PARAMS + 1]);
        }

        public double offsetMean(int note) {
            return params[note * PARAMS + 2];
        }

        public double offsetStd(int note) {
            return Math.exp(params[note * PARAMS + 3]);
        }
    }

    private final ZooModel<float[][], NoteParams> model;
    private final LockStep lockStep;
    private final String version;
    private final double withinBarShare;
    private final double barSpreadLogSd;

    private DynamicsModel(ZooModel<float[][], NoteParams> model, LockStep lockStep, String version, double withinBarShare, double barSpreadLogSd) {
        this.model = model;
        this.lockStep = lockStep;
        this.version = version;
        this.withinBarShare = withinBarShare;
        this.barSpreadLogSd = barSpreadLogSd;
    }

    /** The dynamics model in {@code dir}, else the one shipped in the jar (personalised model folders carry none). */
    static DynamicsModel load(Path dir, int threads, boolean gpu, List<AutoCloseable> opened) throws IOException {
        Path from = ArrangementModels.folderOf(dir, NAME);
        JsonNode meta = ArrangementModels.metadata(from, NAME);
        List<String> features = new ArrayList<>();
        for (JsonNode feature : meta.path("inputs").path("note_features").path("features")) features.add(feature.asText());
        if (!features.equals(FEATURES)) throw new IOException(NAME + " reads the features " + features + "; the performer writes " + FEATURES);
        var model = ArrangementModels.open(from.resolve(NAME + ".onnx"), new Translator(), threads, gpu, opened);
        return new DynamicsModel(model, null, meta.path("name").asText() + "@" + meta.path("version").asText(), meta.path("within_bar_share").asDouble(0.5),
                meta.path("bar_spread_log_sd").asDouble(0));
    }

    /** The parameters of each note whose feature row is given. */
    public NoteParams predict(float[][] features) {
        if (features.length == 0) return new NoteParams(new float[0]);
        if (lockStep != null) return lockStep.call(model, this::predictParts, features);
        return ArrangementModels.predictOnce(model, features, "dynamics");
    }

    /** The same model, its parts asked together with those of the other songs in {@code lockStep}. */
    DynamicsModel inStep(LockStep lockStep) {
        return new DynamicsModel(model, lockStep, version, withinBarShare, barSpreadLogSd);
    }

    /** Several parts' notes in one call, the rows one after another; each part's parameters split off again. */
    private List<NoteParams> predictParts(List<float[][]> parts) {
        List<float[]> rows = new ArrayList<>();
        for (float[][] part : parts) rows.addAll(List.of(part));
        float[] all = ArrangementModels.predictOnce(model, rows.toArray(float[][]::new), "dynamics").params();
        List<NoteParams> answers = new ArrayList<>(parts.size());
        int from = 0;
        for (float[][] part : parts) {
            int to = from + part.length * PARAMS;
            answers.add(new NoteParams(Arrays.copyOfRange(all, from, to)));
            from = to;
        }
        return answers;
    }

    /**
     * Of a note's velocity deviation from the model's mean, the share of the variance that differs note by note
     * within a bar (the rest moves a whole bar), as measured in training.
     */
    public double withinBarShare() {
        return withinBarShare;
    }

    /**
     * How much a bar's own spread varies from bar to bar (a player keeps some bars even and others full of contrast):
     * the standard deviation of the log of a bar's within-bar noise scale, as measured in training.
     */
    public double barSpreadLogSd() {
        return barSpreadLogSd;
    }

    public String version() {
        return version;
    }

    @Override
    public void close() {
        model.close();
    }

    private static List<String> features() {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < METRIC_POSITIONS; i++) names.add("metric_pos_" + i);
        names.addAll(List.of("three_four", "pitch", "chord_tone", "bar_onsets", "onset_size", "onset_highest", "onset_lowest",
                "duration", "melody_onset", "counter_melody"));
        for (int i = 0; i < PHRASE_BARS; i++) names.add("phrase_bar_" + i);
        return List.copyOf(names);
    }

    private static final class Translator implements NoBatchifyTranslator<float[][], NoteParams> {

        @Override
        public NDList processInput(TranslatorContext ctx, float[][] rows) {
            float[] flat = new float[rows.length * FEATURES.size()];
            for (int i = 0; i < rows.length; i++) System.arraycopy(rows[i], 0, flat, i * FEATURES.size(), FEATURES.size());
            return new NDList(Tensors.named(ctx.getNDManager().create(flat, new Shape(rows.length, FEATURES.size())), "note_features"));
        }

        @Override
        public NoteParams processOutput(TranslatorContext ctx, NDList list) {
            return new NoteParams(list.get(0).toFloatArray());
        }
    }
}
