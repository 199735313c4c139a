package dev.merlai.arranger.harmony;

import dev.merlai.arranger.grid.MetricGrid;
import dev.merlai.arranger.model.ArrangementModels;
import dev.merlai.arranger.model.MelodyFeatures;
import dev.merlai.arranger.model.TextureInput;
import dev.merlai.music.Chord;
import dev.merlai.music.ChordSpan;

import java.util.ArrayList;
import java.util.List;

/**
 * The harmony stage: a chord per beat. Given chords are followed; otherwise the chord model hears the melody in
 * several keys, its answers are pooled per beat, each beat hears the same beat a phrase away (phrase echo), and
 * the decoding picks one chord per beat. Thread-safe.
 */
public final class Harmonizer {

    /** Chord qualities per root in the chord model's vocabulary. */
    static final int QUALITIES = 9;
    private static final int LOW = TextureInput.LOWEST_PITCH;
    private static final int P = TextureInput.PITCHES;

    private final ArrangementModels models;

    public Harmonizer(ArrangementModels models) {
        this.models = models;
    }

    /** The given chords where there are any, else the chord model's choice per beat, as spans over the whole grid. */
    public List<ChordSpan> harmonize(MelodyFeatures melody, MetricGrid grid, List<ChordSpan> given) {
        if (!given.isEmpty()) return given;
        List<String> vocabulary = models.chordsMetadata().chordVocabulary();
        double[][] logProbs = chordLogProbs(melody, vocabulary.size());
        int steps = grid.steps();
        List<Integer> beatStarts = new ArrayList<>();
        for (int t = 0; t < steps; t++) if (t == 0 || grid.metricPos(t) % MetricGrid.STEPS_PER_BEAT == 0) beatStarts.add(t);
        double[][] beatLogProbs = new double[beatStarts.size()][vocabulary.size()];
        int[] bar = new int[beatStarts.size()];
        int[] beatInBar = new int[beatStarts.size()];
        boolean[] sounding = new boolean[beatStarts.size()];
        for (int b = 0; b < beatStarts.size(); b++) {
            int start = beatStarts.get(b);
            int end = b + 1 < beatStarts.size() ? beatStarts.get(b + 1) : steps;
            bar[b] = grid.barIndex(start);
            beatInBar[b] = grid.metricPos(start) / MetricGrid.STEPS_PER_BEAT;
            for (int t = start; t < end; t++) {
                sounding[b] |= melody.melodyPitch()[t] > 0;
                for (int c = 0; c < vocabulary.size(); c++) beatLogProbs[b][c] += logProbs[t][c] / (end - start);
            }
        }
        beatLogProbs = models.chordsMetadata().phraseEcho().apply(beatLogProbs, bar, beatInBar, sounding);
        int[] decoded = models.chordsMetadata().chordDecoding().decode(beatLogProbs);

        List<ChordSpan> spans = new ArrayList<>();
        Chord current = null;
        long currentStart = 0;
        for (int b = 0; b < decoded.length; b++) {
            Chord chord = Chord.parse(vocabulary.get(decoded[b]));
            long tick = Math.max(0, grid.stepTick(beatStarts.get(b)));
            if (!chord.equals(current)) {
                if (current != null && tick > currentStart) spans.add(new ChordSpan(currentStart, tick - currentStart, current));
                current = chord;
                currentStart = tick;
            }
        }
        long end = grid.stepTick(steps - 1) + MetricGrid.STEP_TICKS;
        if (current != null && end > currentStart) spans.add(new ChordSpan(currentStart, end - currentStart, current));
        return spans;
    }

    /**
     * The chord model's log-probabilities per step, averaged over the melody transposed by -n..+n semitones
     * (n from the model's metadata) with each transposed answer rotated back: the model hears the song in
     * several keys, which evens out the keys it saw less in training.
     */
    private double[][] chordLogProbs(MelodyFeatures features, int classes) {
        int n = models.chordsMetadata().transpositions();
        double[][] sum = new double[features.steps()][classes];
        for (int shift = -n; shift <= n; shift++) {
            long[] pitch = features.melodyPitch().clone();
            for (int t = 0; t < pitch.length; t++) if (pitch[t] > 0) pitch[t] = Math.max(LOW, Math.min(LOW + P - 1, pitch[t] + shift));
            float[][] logits = models.predictChords(new MelodyFeatures(pitch, features.melodyOnset(), features.metricPos(), features.barSteps(), features.style()));
            for (int t = 0; t < logits.length; t++) {
                double[] logSoftmax = logSoftmax(logits[t]);
                for (int c = 0; c < classes; c++) sum[t][c] += logSoftmax[transposedClass(c, shift)] / (2 * n + 1);
            }
        }
        return sum;
    }

    /**
     * The class of chord {@code c} transposed up by {@code shift} semitones, in the vocabulary's layout:
     * {@code N}, then {@link #QUALITIES} qualities for each of the 12 roots from C.
     */
    static int transposedClass(int c, int shift) {
        if (c == 0) return 0;
        return 1 + Math.floorMod((c - 1) / QUALITIES + shift, 12) * QUALITIES + (c - 1) % QUALITIES;
    }

    private static double[] logSoftmax(float[] logits) {
        double max = Double.NEGATIVE_INFINITY;
        for (float v : logits) max = Math.max(max, v);
        double sum = 0;
        for (float v : logits) sum += Math.exp(v - max);
        double log = max + Math.log(sum);
        double[] result = new double[logits.length];
        for (int i = 0; i < logits.length; i++) result[i] = logits[i] - log;
        return result;
    }
}
