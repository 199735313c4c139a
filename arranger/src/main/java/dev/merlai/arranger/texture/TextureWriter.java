package dev.merlai.arranger.texture;

import dev.merlai.arranger.ArrangeOptions;
import dev.merlai.arranger.form.Ending;
import dev.merlai.arranger.form.FormStatistics;
import dev.merlai.arranger.form.SongForm;
import dev.merlai.arranger.grid.ChordSteps;
import dev.merlai.arranger.grid.MetricGrid;
import dev.merlai.arranger.model.ArrangementModels;
import dev.merlai.arranger.model.MelodyFeatures;
import dev.merlai.arranger.model.Sampling;
import dev.merlai.arranger.model.TensorLayout;
import dev.merlai.arranger.model.TextureInput;
import dev.merlai.arranger.roll.NoteLogits;
import dev.merlai.arranger.roll.Part;
import dev.merlai.arranger.roll.PianoRoll;
import dev.merlai.music.ChordSpan;
import dev.merlai.music.Note;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.Track;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;

/**
 * The texture stage: writes the piano and counter-melody roll with the texture model, bar by bar as the
 * {@link BarPlan} says. Texture is refined in {@link #PASSES} passes over the whole song: after each pass a random
 * share of the bars still open is sampled and fixed, and the next pass sees them as given. Given accompaniment
 * enters the same way (infill, partial input), and a bar that copies another is filled as soon as its source
 * is known. Thread-safe.
 */
public final class TextureWriter {

    static final int PASSES = 4;
    /**
     * Only the most likely onset pitches of a step may sound (per part): with 88 keys per step, the long tail of
     * unlikely pitches would otherwise scatter stray notes over the whole keyboard.
     */
    static final int MAX_ONSET_CANDIDATES = 12;
    private static final Part[] PARTS = Part.values();

    private final ArrangementModels models;
    private final FormStatistics formStatistics = FormStatistics.shipped();

    public TextureWriter(ArrangementModels models) {
        this.models = models;
    }

    /**
     * The roll over the whole grid: the score's accompaniment in the bars the plan keeps, the model's in the bars
     * it samples, copies in the bars it copies, the ending's final chord in its last bar (when there is an ending).
     * Where the melody repeats a bar, the accompaniment repeats it as the {@code form} and {@code variation} say.
     * {@code seed} is the song's seed (the same seed, the same roll).
     */
    public PianoRoll write(Score score, MetricGrid grid, MelodyFeatures melody, List<ChordSpan> chords, BarPlan plan,
                           ArrangeOptions options, long seed, SongForm form, Ending ending) {
        TensorLayout layout = models.textureMetadata().layout();
        PianoRoll roll = PianoRoll.silent(grid.steps(), layout.lowestPitch(), layout.pitchCount());
        float[] knownMask = new float[grid.steps()];
        writeGivenAccompaniment(score, grid, plan, roll, knownMask);
        copyKnownSources(grid, plan, roll, knownMask);
        int finalBar = ending == null ? -1 : grid.bars().size() - 1;
        if (ending != null) {
            for (Note note : ending.finalChord()) writeNote(grid, note, Part.PIANO, roll);
            Arrays.fill(knownMask, grid.firstStepOfBar(finalBar), grid.steps(), 1);
        }

        Sampling sampling = models.textureMetadata().sampling(options.style().id());
        TextureInput texture = new TextureInput(melody, chordChroma(chords, grid), chordBass(chords, grid),
                density(grid, options, sampling, seed, form), roll, knownMask);
        SplittableRandom random = new SplittableRandom(seed);
        float[] draws = sharedDraws(random, roll.pitches());
        List<Integer> open = new ArrayList<>();
        for (int b = 0; b < plan.bars(); b++) if (plan.samples(b) && b != finalBar) open.add(b);
        Collections.shuffle(open, new Random(random.nextLong()));
        for (int pass = 0; pass < PASSES && !open.isEmpty(); pass++) {
            NoteLogits logits = models.predictTexture(texture);
            int take = pass == PASSES - 1 ? open.size() : (int) Math.ceil(open.size() / (double) (PASSES - pass));
            List<Integer> fixing = new ArrayList<>(open.subList(0, take));
            open = new ArrayList<>(open.subList(take, open.size()));
            Collections.sort(fixing);
            for (int bar : fixing) sampleBar(grid, bar, logits, roll, knownMask, options.temperature(), draws, sampling);
            copyKnownSources(grid, plan, roll, knownMask);
        }
        repeatAccompaniment(grid, form, plan, options, seed, roll);
        recopy(grid, plan, roll);
        return roll;
    }

    /** Copies each copying bar again from the bar its copies lead back to, which the repeats may have changed since. */
    private static void recopy(MetricGrid grid, BarPlan plan, PianoRoll roll) {
        for (int bar = 0; bar < plan.bars(); bar++) {
            if (plan.copyOf(bar) < 0) continue;
            int root = bar;
            while (plan.copyOf(root) >= 0) root = plan.copyOf(root);
            roll.copySteps(grid.firstStepOfBar(root), grid.firstStepOfBar(bar), grid.endStepOfBar(bar) - grid.firstStepOfBar(bar));
        }
    }

    /**
     * Where the melody repeats an earlier bar, the accompaniment comes back as alike as {@code 1 - variation} (Jaccard
     * similarity of the two bars' onsets; by default as alike as POP909's arrangers make them): where this bar's own
     * draw is less alike than that, a seeded share of the keys whose part differs take the earlier bar's (transposed
     * with the melody), enough to make up the difference. 0 repeats exactly, 1 keeps every bar as drawn.
     */
    private void repeatAccompaniment(MetricGrid grid, SongForm form, BarPlan plan, ArrangeOptions options, long seed, PianoRoll roll) {
        double alike = 1 - (options.variation() != null ? options.variation() : formStatistics.variation());
        SplittableRandom random = new SplittableRandom(seed * 31 + 11);
        int low = roll.lowestPitch(), high = low + roll.pitches();
        for (int b = 0; b < plan.bars(); b++) {
            int source = form.repeatsBar()[b];
            if (source < 0 || !plan.samples(b)) continue;
            int shift = form.transposition()[b];
            int first = grid.firstStepOfBar(b), end = grid.endStepOfBar(b);
            int offset = grid.firstStepOfBar(source) - first;
            int shared = 0, all = 0;
            for (int t = first; t < end; t++) {
                for (Part part : PARTS) {
                    for (int pitch = low; pitch < high; pitch++) {
                        boolean own = roll.onset(t, part, pitch), earlier = roll.covers(pitch - shift) && roll.onset(t + offset, part, pitch - shift);
                        if (own && earlier) shared++;
                        if (own || earlier) all++;
                    }
                }
            }
            double similarity = all == 0 ? 1 : shared / (double) all;
            if (similarity >= alike) continue;
            double take = (alike - similarity) / (1 - similarity);
            for (Part part : PARTS) {
                for (int pitch = low; pitch < high; pitch++) {
                    int from = pitch - shift;
                    boolean inRange = roll.covers(from);
                    boolean same = true;
                    for (int t = first; t < end && same; t++) {
                        same = roll.onset(t, part, pitch) == (inRange && roll.onset(t + offset, part, from))
                                && roll.sounding(t, part, pitch) == (inRange && roll.sounding(t + offset, part, from));
                    }
                    if (same || random.nextDouble() >= take) continue;
                    for (int t = first; t < end; t++) {
                        roll.setOnset(t, part, pitch, inRange && roll.onset(t + offset, part, from));
                        roll.setSounding(t, part, pitch, inRange && roll.sounding(t + offset, part, from));
                    }
                }
            }
        }
    }

    /** Puts the accompaniment of the bars that are kept into the roll and marks their steps known. */
    private static void writeGivenAccompaniment(Score score, MetricGrid grid, BarPlan plan, PianoRoll roll, float[] mask) {
        for (int t = 0; t < grid.steps(); t++) if (!plan.writesStep(t)) mask[t] = 1;
        for (Track track : score.tracks()) {
            if (!track.role().isAccompaniment()) continue;
            Part part = track.role() == Role.COUNTER_MELODY ? Part.COUNTER_MELODY : Part.PIANO;
            for (Note note : track.notes()) {
                if (!plan.writesStep(grid.nearestStep(note.onset()))) writeNote(grid, note, part, roll);
            }
        }
    }

    /** Puts a note (where the roll covers its pitch) into the roll. */
    private static void writeNote(MetricGrid grid, Note note, Part part, PianoRoll roll) {
        if (!roll.covers(note.pitch())) return;
        int first = grid.nearestStep(note.onset());
        boolean toTheEnd = note.end() >= grid.stepTick(grid.steps() - 1) + MetricGrid.STEP_TICKS;
        int end = toTheEnd ? grid.steps() : Math.max(first + 1, grid.nearestStep(note.end()));
        roll.setOnset(first, part, note.pitch(), true);
        for (int t = first; t < end && t < grid.steps(); t++) roll.setSounding(t, part, note.pitch(), true);
    }

    /** Fills every copying bar whose source is known and it not yet, until none is left (copies of copies). */
    private static void copyKnownSources(MetricGrid grid, BarPlan plan, PianoRoll roll, float[] mask) {
        boolean copied = true;
        while (copied) {
            copied = false;
            for (int bar = 0; bar < plan.bars(); bar++) {
                int source = plan.copyOf(bar);
                int first = grid.firstStepOfBar(bar);
                if (source < 0 || mask[first] > 0 || mask[grid.firstStepOfBar(source)] == 0) continue;
                int length = grid.endStepOfBar(bar) - first;
                roll.copySteps(grid.firstStepOfBar(source), first, length);
                Arrays.fill(mask, first, first + length, 1);
                copied = true;
            }
        }
    }

    private static float[] chordChroma(List<ChordSpan> chords, MetricGrid grid) {
        float[] chroma = new float[grid.steps() * 12];
        ChordSteps.forEach(chords, grid, (t, chord) -> {
            for (int pc : chord.pitchClasses()) chroma[t * 12 + pc] = 1;
        });
        return chroma;
    }

    private static long[] chordBass(List<ChordSpan> chords, MetricGrid grid) {
        long[] bass = new long[grid.steps()];
        Arrays.fill(bass, 12);
        ChordSteps.forEach(chords, grid, (t, chord) -> bass[t] = chord.isNone() ? 12 : chord.bassPitchClass());
        return bass;
    }

    /**
     * The onsets per beat the texture model is asked for, per step: the style's median, scaled by the user's
     * density knob, moving from phrase to phrase by a seeded log-normal draw (mean-preserving), so that a song
     * gets busier and sparser sections as written music does; each bar's by how often its tune has been heard, as
     * in POP909 ({@link FormStatistics}).
     */
    private float[] density(MetricGrid grid, ArrangeOptions options, Sampling sampling, long seed, SongForm form) {
        Double typical = models.textureMetadata().defaultDensity().get(options.style().id());
        double perBeat = sampling.densityScale() * (typical == null ? 3.0 : typical) * Math.pow(2, (options.density() - 0.5) * 2);
        double spread = sampling.densitySpread();
        SplittableRandom random = new SplittableRandom(seed * 31 + 7);
        double[] barDensity = new double[grid.bars().size()];
        double phraseDensity = perBeat;
        for (int b = 0; b < barDensity.length; b++) {
            if (b % sampling.phraseBars() == 0) phraseDensity = perBeat * Math.exp(spread * Sampling.gaussian(random) - spread * spread / 2);
            barDensity[b] = phraseDensity * formStatistics.density(form.occurrence()[b]);
        }
        float[] density = new float[grid.steps()];
        for (int t = 0; t < density.length; t++) density[t] = (float) barDensity[grid.barIndex(t)];
        return density;
    }

    /**
     * One uniform draw per (part, position in the bar, key), shared by every bar: where the model gives similar
     * odds bar after bar, the same notes come out, so the accompaniment keeps a groove instead of re-rolling its
     * rhythm every bar. Another seed gives other draws, hence another arrangement.
     */
    private static float[] sharedDraws(SplittableRandom random, int keys) {
        float[] draws = new float[PARTS.length * MetricGrid.MAX_BAR_STEPS * keys];
        for (int i = 0; i < draws.length; i++) draws[i] = (float) random.nextDouble();
        return draws;
    }

    /**
     * Samples one bar's onsets (with temperature, from the shared draws) and lets notes sound on while the model
     * says so. Where a neighbouring bar of the same length is already fixed, its onset pattern biases this bar's
     * onsets ({@link Sampling#repeatBias()}); the piano's number of sounding notes is kept within the sampling
     * settings' bounds by ending the least likely holds (never the bass) or keeping the most likely ones.
     */
    private static void sampleBar(MetricGrid grid, int bar, NoteLogits logits, PianoRoll roll, float[] mask, double temperature,
                                  float[] draws, Sampling sampling) {
        int first = grid.firstStepOfBar(bar);
        int end = grid.endStepOfBar(bar);
        int neighbour = fixedNeighbour(grid, bar, mask);
        int low = roll.lowestPitch(), keys = roll.pitches();
        double[] holdProbability = new double[keys];
        for (int t = first; t < end; t++) {
            double bias = 0;
            if (neighbour >= 0) bias = roll.anyOnset(grid.firstStepOfBar(neighbour) + t - first) ? sampling.repeatBias() : -sampling.repeatBias();
            for (Part part : PARTS) {
                double candidateFloor = logits.kthLargestOnset(t, part, MAX_ONSET_CANDIDATES);
                int drawRow = (part.ordinal() * MetricGrid.MAX_BAR_STEPS + grid.metricPos(t)) * keys;
                int sounding = 0;
                for (int k = 0; k < keys; k++) {
                    int pitch = low + k;
                    float logit = logits.onset(t, part, pitch);
                    boolean onset = draws[drawRow + k] < Sampling.sigmoid((logit + bias) / temperature) && logit >= candidateFloor;
                    boolean wasSounding = t > 0 && roll.sounding(t - 1, part, pitch);
                    // onsets rank above every hold (2 > any probability); silent keys below (-1)
                    holdProbability[k] = onset ? 2 : wasSounding ? Sampling.sigmoid(logits.sounding(t, part, pitch)) : -1;
                    boolean sounds = onset || (wasSounding && holdProbability[k] > sampling.holdThreshold());
                    if (sounds) sounding++;
                    roll.setOnset(t, part, pitch, onset);
                    roll.setSounding(t, part, pitch, sounds);
                }
                if (part == Part.PIANO) boundSounding(roll, t, holdProbability, sounding, sampling);
            }
            mask[t] = 1;
        }
    }

    /** The bar before (else after) this one when it has the same length and is already fixed, else -1. */
    private static int fixedNeighbour(MetricGrid grid, int bar, float[] mask) {
        int length = grid.endStepOfBar(bar) - grid.firstStepOfBar(bar);
        for (int other : new int[]{bar - 1, bar + 1}) {
            if (other >= 0 && other < grid.bars().size() && grid.endStepOfBar(other) - grid.firstStepOfBar(other) == length
                    && mask[grid.firstStepOfBar(other)] > 0) return other;
        }
        return -1;
    }

    private static void boundSounding(PianoRoll roll, int t, double[] holdProbability, int sounding, Sampling sampling) {
        Part piano = Part.PIANO;
        int low = roll.lowestPitch(), keys = roll.pitches();
        int bass = -1;
        for (int k = 0; k < keys && bass < 0; k++) if (roll.sounding(t, piano, low + k)) bass = k;
        while (sampling.maxSounding() > 0 && sounding > sampling.maxSounding()) {
            int weakest = -1;
            for (int k = 0; k < keys; k++) {
                if (k != bass && roll.sounding(t, piano, low + k) && holdProbability[k] <= 1
                        && (weakest < 0 || holdProbability[k] < holdProbability[weakest])) weakest = k;
            }
            if (weakest < 0) break;
            roll.setSounding(t, piano, low + weakest, false);
            sounding--;
        }
        while (sounding < sampling.minSounding()) {
            int strongest = -1;
            for (int k = 0; k < keys; k++) {
                if (!roll.sounding(t, piano, low + k) && holdProbability[k] >= sampling.minSoundingProbability()
                        && (strongest < 0 || holdProbability[k] > holdProbability[strongest])) strongest = k;
            }
            if (strongest < 0) break;
            roll.setSounding(t, piano, low + strongest, true);
            sounding++;
        }
    }
}
