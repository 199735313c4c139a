package dev.merlai.arranger;

import dev.merlai.arranger.drums.DrumPlan;
import dev.merlai.arranger.drums.DrumRequest;
import dev.merlai.arranger.drums.Drummer;
import dev.merlai.arranger.grid.MelodySteps;
import dev.merlai.arranger.grid.MeterInference;
import dev.merlai.arranger.grid.MetricGrid;
import dev.merlai.arranger.model.ArrangementModels;
import dev.merlai.arranger.model.MelodyFeatures;
import dev.merlai.arranger.model.Sampling;
import dev.merlai.arranger.model.TextureInput;
import dev.merlai.music.Bar;
import dev.merlai.music.Chord;
import dev.merlai.music.ChordSpan;
import dev.merlai.music.KeySignature;
import dev.merlai.music.Note;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.Track;
import dev.merlai.music.theory.KeyFinder;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Turns a melody into an arrangement with the trained models. The models make the musical decisions: the
 * chord model picks a chord per beat, the texture model writes the piano and counter-melody roll. This class
 * only lays the grid, feeds the models, samples (seeded) and assembles tracks.
 *
 * <p>Texture is refined in {@link #PASSES} passes over the whole song: after each pass a random share of the
 * bars still open is sampled and fixed, and the next pass sees them as given. Given accompaniment enters the
 * same way, which is how infill ({@code --bars}) and partial input work. Thread-safe.
 */
public final class Arranger {

    static final int PASSES = 4;
    /**
     * Only the most likely onset pitches of a step may sound (per channel): with 88 keys per step, the long
     * tail of unlikely pitches would otherwise scatter stray notes over the whole keyboard.
     */
    static final int MAX_ONSET_CANDIDATES = 12;
    /** Chord qualities per root in the chord model's vocabulary. */
    static final int QUALITIES = 9;
    private static final int PIANO = 0;
    private static final int COUNTER = 1;
    private static final int CH = TextureInput.CHANNELS;
    private static final int P = TextureInput.PITCHES;
    private static final int LOW = TextureInput.LOWEST_PITCH;

    private final ArrangementModels models;

    public Arranger(ArrangementModels models) {
        this.models = models;
    }

    public String modelVersion() {
        return models.version();
    }

    public Arrangement arrange(Score input, ArrangeOptions options) throws ArrangeException {
        long started = System.nanoTime();
        Track melody = input.melody().orElseThrow(() -> new ArrangeException("the input has no melody track"));
        if (melody.notes().isEmpty()) throw new ArrangeException("the melody track has no notes");

        MeterInference.Result meter = MeterInference.decide(input.meter(), melody.notes(), models::classifyBeats);
        Score score = input.withMeter(meter.meter());
        MetricGrid grid = MetricGrid.over(score.meter(), score.endTick());
        int steps = grid.steps();

        boolean[] generate = barsToGenerate(score, grid, options.bars());
        MelodyFeatures features = melodyFeatures(melody, grid, models.textureMetadata().styleIndex(options.style().id()));

        KeyFinder.Decision keyDecision = KeyFinder.decide(score);

        List<ChordSpan> chords = chords(score, grid, features);
        float[] knownNotes = new float[steps * CH * P];
        float[] knownMask = new float[steps];
        writeGivenAccompaniment(score, grid, generate, knownNotes, knownMask);

        Sampling sampling = models.textureMetadata().sampling(options.style().id());
        long seed = songSeed(options.seed(), melody.notes());
        TextureInput texture = new TextureInput(features, chordChroma(chords, grid), chordBass(chords, grid),
                density(grid, options, sampling, seed), knownNotes, knownMask);
        SplittableRandom random = new SplittableRandom(seed);
        float[] draws = sharedDraws(random);
        List<Integer> open = new ArrayList<>();
        for (int b = 0; b < generate.length; b++) if (generate[b]) open.add(b);
        Collections.shuffle(open, new java.util.Random(random.nextLong()));
        for (int pass = 0; pass < PASSES && !open.isEmpty(); pass++) {
            float[] logits = models.predictTexture(texture);
            int take = pass == PASSES - 1 ? open.size() : (int) Math.ceil(open.size() / (double) (PASSES - pass));
            List<Integer> fixing = new ArrayList<>(open.subList(0, take));
            open = new ArrayList<>(open.subList(take, open.size()));
            Collections.sort(fixing);
            for (int bar : fixing) sampleBar(grid, bar, logits, knownNotes, knownMask, options.temperature(), draws, sampling);
        }

        Score arranged = assemble(score, grid, generate, knownNotes, chords, keyDecision, options.style());
        arranged = withDrums(arranged, grid, options, seed);
        long millis = (System.nanoTime() - started) / 1_000_000;
        return new Arrangement(arranged, meter.explanation(), keyDecision.explanation(), describe(grid, generate), models.version(), millis);
    }

    /** The arrangement with its drum track played where the options ask for drums (given drums are kept). */
    private Score withDrums(Score arranged, MetricGrid grid, ArrangeOptions options, long seed) {
        String style = options.drumStyle();
        if (style == null) return arranged;
        List<Track> given = arranged.tracks(Role.DRUMS);
        Track givenDrums = given.isEmpty() ? null : given.get(0);
        boolean[] bassOnsets = new boolean[grid.steps()];
        for (Track bass : arranged.tracks(Role.BASS)) for (Note note : bass.notes()) bassOnsets[grid.nearestStep(note.onset())] = true;
        Track track = new Drummer(models.drums()).play(new DrumRequest(grid, DrumPlan.placeholder(grid), style, arranged.tempo(), seed, bassOnsets,
                Drummer.barsToPlay(grid, options.bars(), givenDrums), givenDrums));
        List<Track> tracks = new ArrayList<>(arranged.tracks());
        if (givenDrums == null) tracks.add(track);
        else tracks.set(tracks.indexOf(givenDrums), track);
        return arranged.withTracks(tracks);
    }

    /** Which bars (indices into the grid's bars) get new accompaniment. */
    private static boolean[] barsToGenerate(Score score, MetricGrid grid, BarRange range) throws ArrangeException {
        List<Bar> bars = grid.bars();
        boolean[] generate = new boolean[bars.size()];
        if (range != null) {
            int lastNumber = bars.get(bars.size() - 1).number();
            int firstNumber = bars.get(0).number();
            if (range.first() < firstNumber || range.last() > lastNumber) {
                throw new ArrangeException("bars " + range + " are outside the song's bars " + firstNumber + "-" + lastNumber);
            }
            for (int b = 0; b < bars.size(); b++) generate[b] = range.contains(bars.get(b).number());
            return generate;
        }
        for (int b = 0; b < bars.size(); b++) {
            Bar bar = bars.get(b);
            boolean accompanied = false;
            for (Track track : score.tracks()) {
                if (track.role().isAccompaniment() && !track.notesStartingIn(bar.start(), bar.end()).isEmpty()) accompanied = true;
            }
            generate[b] = !accompanied;
        }
        return generate;
    }

    private static MelodyFeatures melodyFeatures(Track melody, MetricGrid grid, int style) {
        int steps = grid.steps();
        long gridEnd = grid.stepTick(steps - 1) + MetricGrid.STEP_TICKS;
        MelodySteps notes = MelodySteps.of(melody.notes(), steps, grid::nearestStep, tick -> tick >= gridEnd ? steps : grid.nearestStep(tick));
        long[] metricPos = new long[steps];
        long[] barSteps = new long[steps];
        for (int t = 0; t < steps; t++) {
            metricPos[t] = grid.metricPos(t);
            barSteps[t] = grid.barSteps(t);
        }
        return new MelodyFeatures(notes.pitch(), notes.onset(), metricPos, barSteps, style);
    }

    /** The given chords where there are any; the chord model's choice per beat everywhere else. */
    private List<ChordSpan> chords(Score score, MetricGrid grid, MelodyFeatures features) {
        if (!score.chords().isEmpty()) return score.chords();
        List<String> vocabulary = models.chordsMetadata().chordVocabulary();
        double[][] logProbs = chordLogProbs(features, vocabulary.size());
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
                sounding[b] |= features.melodyPitch()[t] > 0;
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

    private static float[] chordChroma(List<ChordSpan> chords, MetricGrid grid) {
        float[] chroma = new float[grid.steps() * 12];
        forEachChordStep(chords, grid, (t, chord) -> {
            for (int pc : chord.pitchClasses()) chroma[t * 12 + pc] = 1;
        });
        return chroma;
    }

    private static long[] chordBass(List<ChordSpan> chords, MetricGrid grid) {
        long[] bass = new long[grid.steps()];
        java.util.Arrays.fill(bass, 12);
        forEachChordStep(chords, grid, (t, chord) -> bass[t] = chord.isNone() ? 12 : chord.bassPitchClass());
        return bass;
    }

    private interface ChordStep {
        void accept(int step, Chord chord);
    }

    private static void forEachChordStep(List<ChordSpan> chords, MetricGrid grid, ChordStep action) {
        for (ChordSpan span : chords) {
            int first = grid.stepContaining(span.onset());
            for (int t = first; t < grid.steps() && grid.stepTick(t) < span.end(); t++) {
                if (grid.stepTick(t) >= span.onset() || t == first) action.accept(t, span.chord());
            }
        }
    }

    /**
     * The user's seed mixed with the melody: the same melody and seed give the same arrangement, and one seed does
     * not give every song the same draws (one seed's shared draws and density plan would otherwise tilt all of its
     * arrangements alike: fewer onsets, a lower register, for every song at once).
     */
    static long songSeed(long seed, List<Note> melody) {
        long hash = 1125899906842597L;
        for (Note note : melody) hash = 31 * (31 * (31 * hash + note.onset()) + note.duration()) + note.pitch();
        return new SplittableRandom(seed ^ hash).nextLong();
    }

    /**
     * The onsets per beat the texture model is asked for, per step: the style's median, scaled by the user's
     * density knob, moving from phrase to phrase by a seeded log-normal draw (mean-preserving), so that a song
     * gets busier and sparser sections as written music does.
     */
    private float[] density(MetricGrid grid, ArrangeOptions options, Sampling sampling, long seed) {
        Double typical = models.textureMetadata().defaultDensity().get(options.style().id());
        double perBeat = sampling.densityScale() * (typical == null ? 3.0 : typical) * Math.pow(2, (options.density() - 0.5) * 2);
        double spread = sampling.densitySpread();
        SplittableRandom random = new SplittableRandom(seed * 31 + 7);
        double[] barDensity = new double[grid.bars().size()];
        double phraseDensity = perBeat;
        for (int b = 0; b < barDensity.length; b++) {
            if (b % sampling.phraseBars() == 0) phraseDensity = perBeat * Math.exp(spread * gaussian(random) - spread * spread / 2);
            barDensity[b] = phraseDensity;
        }
        float[] density = new float[grid.steps()];
        for (int t = 0; t < density.length; t++) density[t] = (float) barDensity[grid.barIndex(t)];
        return density;
    }

    /** Puts the accompaniment of the bars that are kept into the model's known roll. */
    private static void writeGivenAccompaniment(Score score, MetricGrid grid, boolean[] generate, float[] known, float[] mask) {
        for (int t = 0; t < grid.steps(); t++) if (!generate[grid.barIndex(t)]) mask[t] = 1;
        for (Track track : score.tracks()) {
            if (!track.role().isAccompaniment()) continue;
            int channel = track.role() == Role.COUNTER_MELODY ? COUNTER : PIANO;
            for (Note note : track.notes()) {
                if (note.pitch() < LOW || note.pitch() >= LOW + P) continue;
                int first = grid.nearestStep(note.onset());
                if (generate[grid.barIndex(first)]) continue;
                int end = Math.max(first + 1, grid.nearestStep(note.end()));
                known[index(first, channel * 2, note.pitch() - LOW)] = 1;
                for (int t = first; t < end && t < grid.steps(); t++) known[index(t, channel * 2 + 1, note.pitch() - LOW)] = 1;
            }
        }
    }

    /**
     * One uniform draw per (channel, position in the bar, key), shared by every bar: where the model gives
     * similar odds bar after bar, the same notes come out, so the accompaniment keeps a groove instead of
     * re-rolling its rhythm every bar. Another seed gives other draws, hence another arrangement.
     */
    private static float[] sharedDraws(SplittableRandom random) {
        float[] draws = new float[2 * MetricGrid.MAX_BAR_STEPS * P];
        for (int i = 0; i < draws.length; i++) draws[i] = (float) random.nextDouble();
        return draws;
    }

    /**
     * Samples one bar's onsets (with temperature, from the shared draws) and lets notes sound on while the model
     * says so. Where a neighbouring bar of the same length is already fixed, its onset pattern biases this bar's
     * onsets ({@link Sampling#repeatBias()}); the piano's number of sounding notes is kept within the sampling
     * settings' bounds by ending the least likely holds (never the bass) or keeping the most likely ones.
     */
    private static void sampleBar(MetricGrid grid, int bar, float[] logits, float[] known, float[] mask, double temperature,
                                  float[] draws, Sampling sampling) {
        int first = grid.firstStepOfBar(bar);
        int end = grid.endStepOfBar(bar);
        int neighbour = fixedNeighbour(grid, bar, mask);
        double[] holdProbability = new double[P];
        for (int t = first; t < end; t++) {
            double bias = 0;
            if (neighbour >= 0) bias = hasOnset(known, grid.firstStepOfBar(neighbour) + t - first) ? sampling.repeatBias() : -sampling.repeatBias();
            for (int channel = 0; channel < 2; channel++) {
                int onsetChannel = channel * 2, soundingChannel = channel * 2 + 1;
                double candidateFloor = kthLargest(logits, index(t, onsetChannel, 0), MAX_ONSET_CANDIDATES);
                int drawRow = (channel * MetricGrid.MAX_BAR_STEPS + grid.metricPos(t)) * P;
                int sounding = 0;
                for (int p = 0; p < P; p++) {
                    float logit = logits[index(t, onsetChannel, p)];
                    boolean onset = draws[drawRow + p] < sigmoid((logit + bias) / temperature) && logit >= candidateFloor;
                    boolean wasSounding = t > 0 && known[index(t - 1, soundingChannel, p)] > 0;
                    // onsets rank above every hold (2 > any probability); silent keys below (-1)
                    holdProbability[p] = onset ? 2 : wasSounding ? sigmoid(logits[index(t, soundingChannel, p)]) : -1;
                    boolean sounds = onset || (wasSounding && holdProbability[p] > sampling.holdThreshold());
                    if (sounds) sounding++;
                    known[index(t, onsetChannel, p)] = onset ? 1 : 0;
                    known[index(t, soundingChannel, p)] = sounds ? 1 : 0;
                }
                if (channel == PIANO) boundSounding(known, t, holdProbability, sounding, sampling);
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

    private static boolean hasOnset(float[] known, int step) {
        for (int channel = 0; channel < 2; channel++) {
            for (int p = 0; p < P; p++) if (known[index(step, channel * 2, p)] > 0) return true;
        }
        return false;
    }

    private static void boundSounding(float[] known, int t, double[] holdProbability, int sounding, Sampling sampling) {
        int channel = PIANO * 2 + 1;
        int bass = -1;
        for (int p = 0; p < P && bass < 0; p++) if (known[index(t, channel, p)] > 0) bass = p;
        while (sampling.maxSounding() > 0 && sounding > sampling.maxSounding()) {
            int weakest = -1;
            for (int p = 0; p < P; p++) {
                if (p != bass && known[index(t, channel, p)] > 0 && holdProbability[p] <= 1
                        && (weakest < 0 || holdProbability[p] < holdProbability[weakest])) weakest = p;
            }
            if (weakest < 0) break;
            known[index(t, channel, weakest)] = 0;
            sounding--;
        }
        while (sounding < sampling.minSounding()) {
            int strongest = -1;
            for (int p = 0; p < P; p++) {
                if (known[index(t, channel, p)] == 0 && holdProbability[p] >= sampling.minSoundingProbability()
                        && (strongest < 0 || holdProbability[p] > holdProbability[strongest])) strongest = p;
            }
            if (strongest < 0) break;
            known[index(t, channel, strongest)] = 1;
            sounding++;
        }
    }

    /** The k-th largest of the 88 values starting at {@code from}. */
    private static float kthLargest(float[] values, int from, int k) {
        float[] top = new float[k];
        java.util.Arrays.fill(top, Float.NEGATIVE_INFINITY);
        for (int i = from; i < from + P; i++) {
            float v = values[i];
            if (v <= top[k - 1]) continue;
            int j = k - 1;
            while (j > 0 && top[j - 1] < v) {
                top[j] = top[j - 1];
                j--;
            }
            top[j] = v;
        }
        return top[k - 1];
    }

    /** A standard normal draw (Box-Muller). */
    private static double gaussian(SplittableRandom random) {
        return Math.sqrt(-2 * Math.log(1 - random.nextDouble())) * Math.cos(2 * Math.PI * random.nextDouble());
    }

    private static double sigmoid(double x) {
        return 1 / (1 + Math.exp(-x));
    }

    private static int index(int step, int channel, int pitch) {
        return (step * CH + channel) * P + pitch;
    }

    /** The input's tracks (without their notes in regenerated bars) plus the generated piano, bass and counter-melody. */
    private static Score assemble(Score score, MetricGrid grid, boolean[] generate, float[] known, List<ChordSpan> chords,
                                  KeyFinder.Decision key, Style style) {
        List<Note> piano = new ArrayList<>(), bass = new ArrayList<>(), counter = new ArrayList<>();
        int steps = grid.steps();
        for (int channel = 0; channel < 2; channel++) {
            for (int p = 0; p < P; p++) {
                for (int t = 0; t < steps; t++) {
                    if (!generate[grid.barIndex(t)] || known[index(t, channel * 2, p)] == 0) continue;
                    int end = t + 1;
                    while (end < steps && known[index(end, channel * 2 + 1, p)] > 0 && known[index(end, channel * 2, p)] == 0) end++;
                    long onset = Math.max(0, grid.stepTick(t));   // a pickup's first steps may lie before the song
                    long duration = grid.stepTick(end - 1) + MetricGrid.STEP_TICKS - onset;
                    if (duration <= 0) continue;
                    Note note = new Note(p + LOW, velocity(channel, grid.metricPos(t)), onset, duration);
                    (channel == COUNTER ? counter : piano).add(note);
                }
            }
        }
        splitBass(piano, bass);

        List<Track> tracks = new ArrayList<>();
        boolean[] usedChannels = new boolean[16];
        usedChannels[Track.DRUM_CHANNEL] = true;
        for (Track track : score.tracks()) {
            usedChannels[track.channel()] = true;
            tracks.add(track.role().isAccompaniment() ? withoutRegeneratedBars(track, grid, generate) : track);
        }
        boolean pop = style == Style.POP;
        addGenerated(tracks, Role.PIANO, piano, 0, usedChannels);
        addGenerated(tracks, Role.BASS, bass, pop ? 33 : 0, usedChannels);
        addGenerated(tracks, Role.COUNTER_MELODY, counter, pop ? 73 : 0, usedChannels);
        // the file's keys when they fit the music, else the one the notes show, so that every name is spelled in it
        List<KeySignature> keys = key.fromFile() ? score.keys() : List.of(key.key());
        return new Score(score.tempo(), score.meter(), keys, chords, tracks);
    }

    /** The lowest note of each piano onset, when it is low enough, is the bass line. */
    private static void splitBass(List<Note> piano, List<Note> bass) {
        piano.sort(java.util.Comparator.comparingLong(Note::onset).thenComparingInt(Note::pitch));
        List<Note> keep = new ArrayList<>();
        int i = 0;
        while (i < piano.size()) {
            int j = i;
            while (j < piano.size() && piano.get(j).onset() == piano.get(i).onset()) j++;
            Note lowest = piano.get(i);
            boolean bassNote = lowest.pitch() < 52 && (j - i > 1 || lowest.pitch() < 48);
            if (bassNote) bass.add(lowest);
            for (int k = bassNote ? i + 1 : i; k < j; k++) keep.add(piano.get(k));
            i = j;
        }
        piano.clear();
        piano.addAll(keep);
    }

    private static Track withoutRegeneratedBars(Track track, MetricGrid grid, boolean[] generate) {
        List<Note> kept = new ArrayList<>();
        for (Note note : track.notes()) if (!generate[grid.barIndex(grid.nearestStep(note.onset()))]) kept.add(note);
        return track.withNotes(kept);
    }

    private static void addGenerated(List<Track> tracks, Role role, List<Note> notes, int program, boolean[] usedChannels) {
        if (notes.isEmpty()) return;
        for (int i = 0; i < tracks.size(); i++) {
            Track track = tracks.get(i);
            if (track.role() == role) {
                List<Note> merged = new ArrayList<>(track.notes());
                merged.addAll(notes);
                tracks.set(i, track.withNotes(merged));
                return;
            }
        }
        int channel = 0;
        while (channel < 16 && usedChannels[channel]) channel++;
        if (channel == 16) channel = 15;
        usedChannels[channel] = true;
        tracks.add(new Track(role.trackName(), role, program, channel, notes));
    }

    private static int velocity(int channel, int metricPos) {
        int accent = metricPos == 0 ? 10 : metricPos % 4 == 0 ? 5 : 0;
        return (channel == COUNTER ? 68 : 62) + accent;
    }

    private static String describe(MetricGrid grid, boolean[] generate) {
        StringBuilder text = new StringBuilder();
        int b = 0;
        while (b < generate.length) {
            if (!generate[b]) {
                b++;
                continue;
            }
            int start = b;
            while (b + 1 < generate.length && generate[b + 1]) b++;
            if (text.length() > 0) text.append(", ");
            int first = grid.bars().get(start).number(), last = grid.bars().get(b).number();
            text.append(first == last ? Integer.toString(first) : first + "-" + last);
            b++;
        }
        return text.length() == 0 ? "none" : text.toString();
    }
}
