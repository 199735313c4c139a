package dev.merlai.arranger.model;

import ai.djl.inference.Predictor;
import ai.djl.repository.zoo.ZooModel;
import ai.djl.translate.TranslateException;
import com.fasterxml.jackson.databind.JsonNode;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The trained drum model ({@code merlai-drums.onnx}, from the Groove MIDI Dataset): given the bar before and this
 * bar's style, meter, tempo, energy and whether to fill, the odds of a hit per 16th step and instrument, with the
 * hit's velocity and micro-timing as Gaussians. One call per bar; {@link Session} keeps one predictor for a song, or,
 * for songs arranged in {@link LockStep}, asks each bar together with the other songs' bars.
 */
public final class DrumModel implements AutoCloseable {

    public static final String NAME = "merlai-drums";
    /** Steps per bar the model answers for (a 12-step bar uses the first 12). */
    public static final int STEPS = 16;
    public static final int INSTRUMENTS = 9;
    private static final int PARAMS = 5;

    /**
     * The model's inputs for one bar.
     *
     * @param previousHits     the bar before, 1 per hit, [16 x 9] row-major (zeros before the first bar)
     * @param previousVelocity its velocities, 0..1, same layout
     * @param style            index into {@link #styles()}
     * @param meter            index into {@link #meters()}
     * @param tempo            log2(bpm / 120)
     * @param fill             play a fill in this bar
     * @param energy           log(1 + hits per 16 steps) wanted (see {@link #energy(String, double)})
     */
    public record BarInput(float[] previousHits, float[] previousVelocity, int style, int meter, float tempo, boolean fill, float energy) {
    }

    /** Per step and instrument: hit logit, velocity mean and log-std (0..1), offset mean and log-std (16ths). */
    public record BarOdds(float[] params) {

        public double hitProbability(int step, int instrument) {
            return 1 / (1 + Math.exp(-params[index(step, instrument)]));
        }

        public double hitLogit(int step, int instrument) {
            return params[index(step, instrument)];
        }

        public double velocityMean(int step, int instrument) {
            return params[index(step, instrument) + 1];
        }

        public double velocityStd(int step, int instrument) {
            return Math.exp(params[index(step, instrument) + 2]);
        }

        public double offsetMean(int step, int instrument) {
            return params[index(step, instrument) + 3];
        }

        public double offsetStd(int step, int instrument) {
            return Math.exp(params[index(step, instrument) + 4]);
        }

        private static int index(int step, int instrument) {
            return (step * INSTRUMENTS + instrument) * PARAMS;
        }
    }

    /** One song's bars, asked in order through one predictor, or through the lock-step of the songs arranged with it. */
    public final class Session implements AutoCloseable {
        private final Predictor<BarInput[], BarOdds[]> predictor = model.newPredictor();

        public BarOdds predict(BarInput input) {
            if (lockStep != null) return lockStep.call(model, bars -> predictBars(predictor, bars), input);
            return predictBars(predictor, List.of(input)).get(0);
        }

        @Override
        public void close() {
            predictor.close();
        }
    }

    private final ZooModel<BarInput[], BarOdds[]> model;
    private final LockStep lockStep;
    private final String version;
    private final int[] notes;
    private final List<String> styles;
    private final List<String> meters;
    private final Map<String, double[]> energy;
    private final DrumSampling sampling;

    private DrumModel(ZooModel<BarInput[], BarOdds[]> model, LockStep lockStep, String version, int[] notes, List<String> styles, List<String> meters,
                      Map<String, double[]> energy, DrumSampling sampling) {
        this.model = model;
        this.lockStep = lockStep;
        this.version = version;
        this.notes = notes;
        this.styles = styles;
        this.meters = meters;
        this.energy = energy;
        this.sampling = sampling;
    }

    /** The drum model in {@code dir}, else the one shipped in the jar (personalised model folders carry none). */
    static DrumModel load(Path dir, int threads, boolean gpu, List<AutoCloseable> opened) throws IOException {
        Path from = ArrangementModels.folderOf(dir, NAME);
        JsonNode meta = ArrangementModels.metadata(from, NAME);
        List<Integer> noteList = new ArrayList<>();
        for (JsonNode instrument : meta.path("instruments")) noteList.add(instrument.path("note").asInt());
        List<String> styles = new ArrayList<>();
        for (JsonNode style : meta.path("styles")) styles.add(style.asText());
        List<String> meters = new ArrayList<>();
        for (JsonNode meter : meta.path("meters")) meters.add(meter.path("name").asText());
        Map<String, double[]> energy = new LinkedHashMap<>();
        meta.path("energy").fields().forEachRemaining(e -> energy.put(e.getKey(),
                new double[]{e.getValue().get(0).asDouble(), e.getValue().get(1).asDouble(), e.getValue().get(2).asDouble()}));
        if (noteList.size() != INSTRUMENTS || styles.isEmpty() || meters.isEmpty()) {
            throw new IOException("drum model metadata lacks its " + INSTRUMENTS + " instruments, styles or meters");
        }
        DrumSampling sampling = DrumSampling.of(meta.path("sampling"));
        var model = ArrangementModels.open(from.resolve(NAME + ".onnx"), new DrumTranslator(), threads, gpu, opened);
        return new DrumModel(model, null, meta.path("name").asText() + "@" + meta.path("version").asText(),
                noteList.stream().mapToInt(Integer::intValue).toArray(), List.copyOf(styles), List.copyOf(meters), Map.copyOf(energy),
                sampling);
    }

    public Session session() {
        return new Session();
    }

    /** The same model, its sessions' bars asked together with those of the other songs in {@code lockStep}. */
    DrumModel inStep(LockStep lockStep) {
        return new DrumModel(model, lockStep, version, notes, styles, meters, energy, sampling);
    }

    /** Several bars, of one song or of several, in one call: each bar's odds are what it gets asked alone. */
    private static List<BarOdds> predictBars(Predictor<BarInput[], BarOdds[]> predictor, List<BarInput> bars) {
        try {
            return List.of(predictor.predict(bars.toArray(BarInput[]::new)));
        } catch (TranslateException e) {
            throw new IllegalStateException("the drum model failed: " + e.getMessage(), e);
        }
    }

    /** The General MIDI drum note each instrument index plays. */
    public int note(int instrument) {
        return notes[instrument];
    }

    /** The instrument index of a GM drum note this model plays, else -1. */
    public int instrumentOf(int note) {
        for (int i = 0; i < notes.length; i++) if (notes[i] == note) return i;
        return -1;
    }

    /** The drum styles, as {@code --drums} names them (the Groove MIDI Dataset's). */
    public List<String> styles() {
        return styles;
    }

    public int styleIndex(String style) {
        int index = styles.indexOf(style);
        if (index < 0) throw new IllegalArgumentException("the drum model knows no style '" + style + "' (it knows " + styles + ")");
        return index;
    }

    /** The meters, e.g. {@code 4/4}, {@code 3/4}, {@code 6/8}. */
    public List<String> meters() {
        return meters;
    }

    /**
     * The energy input for a section: {@code level} 0 = the style's quiet quartile of groove bars, 0.5 its median,
     * 1 its busy quartile (linear between).
     */
    public float energy(String style, double level) {
        double[] q = energy.getOrDefault(style, new double[]{2.6, 2.9, 3.2});
        double clamped = Math.max(0, Math.min(1, level));
        return (float) (clamped < 0.5 ? q[0] + (q[1] - q[0]) * clamped * 2 : q[1] + (q[2] - q[1]) * (clamped - 0.5) * 2);
    }

    /** How the odds are drawn, as training chose. */
    public DrumSampling sampling() {
        return sampling;
    }

    public String version() {
        return version;
    }

    @Override
    public void close() {
        model.close();
    }
}
