package dev.merlai.arranger.harmony;

import dev.merlai.arranger.ArrangeException;
import dev.merlai.arranger.BarRange;
import dev.merlai.arranger.form.SongForm;
import dev.merlai.arranger.grid.MetricGrid;
import dev.merlai.arranger.model.ArrangementModels;
import dev.merlai.arranger.model.ChordLogProbabilities;
import dev.merlai.arranger.model.ChordVocabulary;
import dev.merlai.arranger.model.MelodyFeatures;
import dev.merlai.arranger.model.TensorLayout;
import dev.merlai.music.Bar;
import dev.merlai.music.Chord;
import dev.merlai.music.ChordSheet;
import dev.merlai.music.ChordSpan;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The harmony stage: a chord per beat. Given chords are kept where given; elsewhere the chord model hears the melody
 * in several keys, its answers are pooled per beat, each beat hears the same beat a phrase away (phrase echo),
 * {@link ChordLayer} picks one chord per beat around the given ones, and repeated bars take their earlier bar's
 * chords. Thread-safe.
 */
public final class Harmonizer {

    private final ArrangementModels models;

    public Harmonizer(ArrangementModels models) {
        this.models = models;
    }

    /**
     * The chords the user gave (the input's chord {@code labels}, and the {@code sheet}'s over them bar by bar) kept
     * exactly, and the chord model's choice on every beat left open ({@link ChordLayer}), with each phrase's choices.
     *
     * An open bar whose melody repeats an earlier bar's (the {@code form}) gets that bar's chords, transposed with the
     * melody: the same tune is harmonised the same way each time it comes back, and its repeated accompaniment fits it.
     *
     * @param reharmonize bars that get other chords than the model's first choice, drawn with {@code seed}; or null
     */
    public Harmony harmonize(MelodyFeatures features, MetricGrid grid, List<ChordSpan> labels, ChordSheet sheet, BarRange reharmonize, long seed,
                             SongForm form)
            throws ArrangeException {
        List<ChordSpan> given = givenChords(labels, grid, sheet);
        int steps = grid.steps();
        long gridEnd = grid.stepTick(steps - 1) + MetricGrid.STEP_TICKS;
        List<Integer> beatStarts = new ArrayList<>();
        for (int t = 0; t < steps; t++) if (t == 0 || grid.metricPos(t) % MetricGrid.STEPS_PER_BEAT == 0) beatStarts.add(t);
        int beats = beatStarts.size();
        long[] beatTick = new long[beats + 1];
        int[] bar = new int[beats];
        int[] barNumber = new int[beats];
        int[] beatInBar = new int[beats];
        boolean[] barStart = new boolean[beats];
        Chord[] givenChord = new Chord[beats];
        boolean allGiven = true;
        for (int b = 0; b < beats; b++) {
            int start = beatStarts.get(b);
            beatTick[b] = Math.max(0, grid.stepTick(start));
            bar[b] = grid.barIndex(start);
            barNumber[b] = grid.bars().get(bar[b]).number();
            beatInBar[b] = grid.metricPos(start) / MetricGrid.STEPS_PER_BEAT;
            barStart[b] = beatInBar[b] == 0;
            for (ChordSpan span : given) if (span.onset() <= beatTick[b] && beatTick[b] < span.end()) givenChord[b] = span.chord();
            allGiven &= givenChord[b] != null;
        }
        beatTick[beats] = gridEnd;
        if (allGiven && reharmonize == null) return new Harmony(given, List.of());

        ChordVocabulary vocabulary = models.chordsMetadata().chordVocabulary();
        ChordLayer layer = new ChordLayer(vocabulary.labels(), models.chordsMetadata().chordDecoding());
        ChordLayer.Beats layerBeats = new ChordLayer.Beats(barNumber, barStart, givenChord);
        double[][] logProbs = chordLogProbs(features, vocabulary);
        double[][] beatLogProbs = new double[beats][vocabulary.size()];
        boolean[] sounding = new boolean[beats];
        for (int b = 0; b < beats; b++) {
            int start = beatStarts.get(b);
            int end = b + 1 < beats ? beatStarts.get(b + 1) : steps;
            for (int t = start; t < end; t++) {
                sounding[b] |= features.melodyPitch()[t] > 0;
                for (int c = 0; c < vocabulary.size(); c++) beatLogProbs[b][c] += logProbs[t][c] / (end - start);
            }
        }
        beatLogProbs = models.chordsMetadata().phraseEcho().apply(layer.pinGiven(beatLogProbs, layerBeats), bar, beatInBar, sounding);
        ChordLayer.Result decided = layer.decide(beatLogProbs, layerBeats, reharmonize, seed);
        repeatHarmony(decided.chords(), givenChord, bar, barNumber, beatInBar, reharmonize, form);

        // the given spans as given; each run of open beats as one span, up to where a given chord starts
        List<ChordSpan> spans = new ArrayList<>(given);
        int b = 0;
        while (b < beats) {
            if (givenChord[b] != null) {
                b++;
                continue;
            }
            int run = b;
            while (run + 1 < beats && givenChord[run + 1] == null && decided.chords()[run + 1].equals(decided.chords()[b])) run++;
            long end = beatTick[run + 1];
            for (ChordSpan span : given) if (span.onset() > beatTick[b] && span.onset() < end) end = span.onset();
            if (end > beatTick[b]) spans.add(new ChordSpan(beatTick[b], end - beatTick[b], decided.chords()[b]));
            b = run + 1;
        }
        spans.sort(java.util.Comparator.comparingLong(ChordSpan::onset));
        return new Harmony(spans, decided.alternatives());
    }

    /**
     * Gives each open beat of a bar that repeats an earlier bar the chord of the same beat there, transposed as the
     * melody is; a reharmonized bar keeps its new chords.
     */
    private static void repeatHarmony(Chord[] chords, Chord[] given, int[] bar, int[] barNumber, int[] beatInBar, BarRange reharmonize,
                                      SongForm form) {
        Map<Long, Integer> beatAt = new HashMap<>();
        for (int b = 0; b < chords.length; b++) {
            beatAt.put(((long) bar[b] << 16) | beatInBar[b], b);
            if (given[b] != null || (reharmonize != null && reharmonize.contains(barNumber[b]))) continue;
            int source = form.repeatsBar()[bar[b]];
            Integer echo = source < 0 ? null : beatAt.get(((long) source << 16) | beatInBar[b]);
            if (echo != null) chords[b] = chords[echo].transposed(form.transposition()[bar[b]]);
        }
    }

    /** The chosen chords of a song and each phrase's choices (none where every beat's chord was given). */
    public record Harmony(List<ChordSpan> spans, List<ChordLayer.PhraseChoices> choices) {
    }

    /** The input's chord labels, replaced bar by bar by those of the chord sheet (each splitting its bar evenly). */
    private static List<ChordSpan> givenChords(List<ChordSpan> labels, MetricGrid grid, ChordSheet sheet) throws ArrangeException {
        if (sheet.isEmpty()) return labels;
        List<Bar> bars = grid.bars();
        List<ChordSpan> spans = new ArrayList<>();
        List<long[]> sheetBars = new ArrayList<>();
        for (var entry : sheet.bars().entrySet()) {
            Bar target = bars.stream().filter(candidate -> candidate.number() == entry.getKey()).findFirst().orElseThrow(() ->
                    new ArrangeException("chords are given for bar " + entry.getKey() + ", but the song's bars are "
                            + bars.get(0).number() + "-" + bars.get(bars.size() - 1).number(), "chords"));
            long start = Math.max(0, target.start()), end = target.start() + target.length();
            if (end <= start) continue;
            List<Chord> chords = entry.getValue();
            for (int i = 0; i < chords.size(); i++) {
                long onset = start + (end - start) * i / chords.size(), next = start + (end - start) * (i + 1) / chords.size();
                if (next > onset) spans.add(new ChordSpan(onset, next - onset, chords.get(i)));
            }
            sheetBars.add(new long[]{start, end});
        }
        for (ChordSpan label : labels) {
            // the parts of each label outside the sheet's bars
            List<long[]> pieces = new ArrayList<>(List.of(new long[]{label.onset(), label.end()}));
            for (long[] covered : sheetBars) {
                List<long[]> cut = new ArrayList<>();
                for (long[] piece : pieces) {
                    if (piece[0] < covered[0]) cut.add(new long[]{piece[0], Math.min(piece[1], covered[0])});
                    if (piece[1] > covered[1]) cut.add(new long[]{Math.max(piece[0], covered[1]), piece[1]});
                }
                pieces = cut;
            }
            for (long[] piece : pieces) if (piece[1] > piece[0]) spans.add(new ChordSpan(piece[0], piece[1] - piece[0], label.chord()));
        }
        spans.sort(java.util.Comparator.comparingLong(ChordSpan::onset));
        return spans;
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
