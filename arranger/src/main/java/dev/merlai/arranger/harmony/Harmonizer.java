package dev.merlai.arranger.harmony;

import dev.merlai.arranger.form.SongForm;
import dev.merlai.arranger.grid.MetricGrid;
import dev.merlai.arranger.model.ArrangementModels;
import dev.merlai.arranger.model.ChordLogProbabilities;
import dev.merlai.arranger.model.ChordVocabulary;
import dev.merlai.arranger.model.MelodyFeatures;
import dev.merlai.arranger.model.TensorLayout;
import dev.merlai.music.Chord;
import dev.merlai.music.ChordSpan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The harmony stage: a chord per beat. Given chords are followed; otherwise the chord model hears the melody in
 * several keys, its answers are pooled per beat, each beat hears the same beat a phrase away (phrase echo), and
 * the decoding picks one chord per beat. Thread-safe.
 */
public final class Harmonizer {

    private final ArrangementModels models;

    public Harmonizer(ArrangementModels models) {
        this.models = models;
    }

    /**
     * The given chords where there are any, else the chord model's choice per beat, as spans over the whole grid; a
     * bar whose melody repeats an earlier bar's (the {@code form}) gets that bar's chords, transposed with the melody:
     * the same tune is harmonised the same way each time it comes back, and its repeated accompaniment fits it.
     */
    public List<ChordSpan> harmonize(MelodyFeatures melody, MetricGrid grid, List<ChordSpan> given, SongForm form) {
        if (!given.isEmpty()) return given;
        ChordVocabulary vocabulary = models.chordsMetadata().chordVocabulary();
        double[][] logProbs = chordLogProbs(melody, vocabulary);
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
        int[] decoded = repeatHarmony(models.chordsMetadata().chordDecoding().decode(beatLogProbs), bar, beatInBar, form, vocabulary);

        List<ChordSpan> spans = new ArrayList<>();
        Chord current = null;
        long currentStart = 0;
        for (int b = 0; b < decoded.length; b++) {
            Chord chord = vocabulary.chord(decoded[b]);
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

    private static int[] repeatHarmony(int[] decoded, int[] bar, int[] beatInBar, SongForm form, ChordVocabulary vocabulary) {
        Map<Long, Integer> beatAt = new HashMap<>();
        for (int b = 0; b < decoded.length; b++) {
            beatAt.put(((long) bar[b] << 16) | beatInBar[b], b);
            int source = form.repeatsBar()[bar[b]];
            Integer echo = source < 0 ? null : beatAt.get(((long) source << 16) | beatInBar[b]);
            if (echo != null) decoded[b] = vocabulary.transposed(decoded[echo], form.transposition()[bar[b]]);
        }
        return decoded;
    }

    /**
     * The chord model's log-probabilities per step, averaged over the melody transposed by -n..+n semitones
     * (n from the model's metadata) with each transposed answer rotated back: the model hears the song in
     * several keys, which evens out the keys it saw less in training.
     */
    private double[][] chordLogProbs(MelodyFeatures features, ChordVocabulary vocabulary) {
        int n = models.chordsMetadata().transpositions();
        TensorLayout keys = models.chordsMetadata().layout();
        double[][] sum = new double[features.steps()][vocabulary.size()];
        for (int shift = -n; shift <= n; shift++) {
            long[] pitch = features.melodyPitch().clone();
            for (int t = 0; t < pitch.length; t++) if (pitch[t] > 0) pitch[t] = keys.clamp((int) pitch[t] + shift);
            ChordLogProbabilities answer = models.predictChords(new MelodyFeatures(pitch, features.melodyOnset(), features.metricPos(), features.barSteps(), features.style()));
            for (int t = 0; t < answer.steps(); t++) {
                for (int c = 0; c < vocabulary.size(); c++) sum[t][c] += answer.logProbability(t, vocabulary.transposed(c, shift)) / (2 * n + 1);
            }
        }
        return sum;
    }
}
