package dev.merlai.music.theory;

import dev.merlai.music.KeySignature;
import dev.merlai.music.Note;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.Track;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * Estimates the key of some notes. A song with accompaniment: the Krumhansl-Kessler profile that correlates best
 * with the duration-weighted pitch-class histogram of all its pitched notes (90% of the 80 POP909 validation songs
 * agree with the annotated key). A melody alone: the learned melody profiles of {@code key-profiles.txt} (fitted on
 * the POP909 training songs by {@code merlai_training.evaluation.keys}), which also hear the notes that end a
 * phrase and the last note, where Krumhansl-Kessler on the melody's histogram agreed on 71%; most misses are the
 * relative major or minor.
 */
public final class KeyFinder {

    private static final double[] MAJOR = {6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88};
    private static final double[] MINOR = {6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17};
    /**
     * How much better (in correlation, -1..1) the best key must fit the notes than the file's first key before the
     * file's key is overruled: a relative major/minor or a neighbouring key fits nearly as well and is kept, a key
     * signature left at its default (C major on a song in D-flat) is not.
     */
    static final double OVERRULE_MARGIN = 0.1;
    /**
     * The same for a melody alone, in the learned profiles' log-odds: the file's key stays unless the best key is
     * e^MELODY_OVERRULE_MARGIN times likelier.
     */
    static final double MELODY_OVERRULE_MARGIN = 2.0;
    private static final MelodyProfiles MELODY_PROFILES = MelodyProfiles.read();

    /** The key a score is in and how that was decided, for the report. */
    public record Decision(KeySignature key, boolean fromFile, String explanation) {
    }

    private KeyFinder() {
    }

    /** The most likely key of the notes, placed at tick 0; C major when there are no notes. */
    public static KeySignature estimate(Collection<Note> notes) {
        return best(histogram(notes));
    }

    /** The most likely key of a melody heard alone (the learned melody profiles), placed at tick 0. */
    public static KeySignature estimateFromMelody(List<Note> melody) {
        return MELODY_PROFILES.best(melody);
    }

    /**
     * The key of a score: the file's first key, unless the notes clearly contradict it or there is none; then the
     * key estimated from them: from every pitched track where the score has accompaniment, else from the melody.
     */
    public static Decision decide(Score score) {
        List<Track> pitched = score.tracks().stream().filter(t -> t.role() != Role.DRUMS && t.channel() != Track.DRUM_CHANNEL)
                .filter(t -> !t.notes().isEmpty()).toList();
        Optional<Track> melody = score.melody().filter(m -> !m.notes().isEmpty());
        if (melody.isPresent() && pitched.stream().allMatch(t -> t == melody.get())) return decideFromMelody(score, melody.get().notes());
        double[] histogram = histogram(pitched.stream().flatMap(t -> t.notes().stream()).toList());
        return keepOrOverrule(score, best(histogram), key -> fit(histogram, key), OVERRULE_MARGIN, "the notes",
                (estimated, given, fileKey) -> String.format("fit %.2f; the file's %s fits them %.2f", estimated, fileKey, given));
    }

    private static Decision decideFromMelody(Score score, List<Note> melody) {
        double[] scores = MELODY_PROFILES.scores(melody);
        return keepOrOverrule(score, MelodyProfiles.key(MelodyProfiles.argmax(scores)), key -> scores[MelodyProfiles.index(key)],
                MELODY_OVERRULE_MARGIN, "the melody",
                (estimated, given, fileKey) -> String.format("%.1f times likelier than the file's %s", Math.exp(estimated - given), fileKey));
    }

    /**
     * The file's first key, unless the estimate's evidence beats the file key's by more than {@code margin}; then the
     * estimate, with {@code comparison}'s words for why.
     */
    private static Decision keepOrOverrule(Score score, KeySignature estimated, ToDoubleFunction<KeySignature> evidence, double margin,
                                           String source, EvidenceWording comparison) {
        if (score.keys().isEmpty()) {
            return new Decision(estimated, false, estimated.label() + " (estimated from " + source + "; the file gives no key)");
        }
        KeySignature given = score.keys().get(0);
        double estimatedEvidence = evidence.applyAsDouble(estimated), givenEvidence = evidence.applyAsDouble(given);
        if (estimatedEvidence - givenEvidence > margin) {
            return new Decision(estimated, false, String.format("%s (estimated from %s, %s)", estimated.label(), source,
                    comparison.words(estimatedEvidence, givenEvidence, given.label())));
        }
        return new Decision(given, true, given.label() + " (given)");
    }

    /** How a decision words the estimate's evidence against the file key's. */
    private interface EvidenceWording {
        String words(double estimated, double given, String fileKey);
    }

    /** The pitch classes of the key's scale (natural minor for minor keys). */
    public static int[] scale(KeySignature key) {
        int[] steps = key.mode() == KeySignature.Mode.MAJOR ? new int[]{0, 2, 4, 5, 7, 9, 11} : new int[]{0, 2, 3, 5, 7, 8, 10};
        int[] scale = new int[7];
        for (int i = 0; i < 7; i++) scale[i] = (key.tonic() + steps[i]) % 12;
        return scale;
    }

    private static double[] histogram(Collection<Note> notes) {
        double[] histogram = new double[12];
        for (Note note : notes) histogram[note.pitch() % 12] += note.duration();
        return histogram;
    }

    private static KeySignature best(double[] histogram) {
        double best = Double.NEGATIVE_INFINITY;
        KeySignature bestKey = new KeySignature(0, 0, KeySignature.Mode.MAJOR);
        for (int tonic = 0; tonic < 12; tonic++) {
            for (KeySignature.Mode mode : KeySignature.Mode.values()) {
                KeySignature key = new KeySignature(0, tonic, mode);
                double r = fit(histogram, key);
                if (r > best) {
                    best = r;
                    bestKey = key;
                }
            }
        }
        return bestKey;
    }

    /** The correlation of the histogram with the key's profile; 0 for an empty histogram. */
    private static double fit(double[] histogram, KeySignature key) {
        double[] profile = key.mode() == KeySignature.Mode.MAJOR ? MAJOR : MINOR;
        double meanH = 0, meanP = 0;
        for (int i = 0; i < 12; i++) {
            meanH += histogram[i] / 12;
            meanP += profile[i] / 12;
        }
        double num = 0, varH = 0, varP = 0;
        for (int i = 0; i < 12; i++) {
            double h = histogram[(i + key.tonic()) % 12] - meanH;
            double p = profile[i] - meanP;
            num += h * p;
            varH += h * h;
            varP += p * p;
        }
        return varH == 0 ? 0 : num / Math.sqrt(varH * varP);
    }

    /**
     * Learned key profiles for a melody: per mode, 12 weights (from the tonic up) for each of three features of the
     * melody seen from a candidate tonic: its duration-weighted pitch-class histogram, the same over the notes that
     * end a phrase (a rest of a beat or more after them, or the end), and the last note. A key scores the sum of
     * weight x feature; the 24 scores are log-odds.
     */
    private record MelodyProfiles(double[][][] weights) {

        private static final List<String> MODES = List.of("maj", "min");
        private static final List<String> FEATURES = List.of("duration", "phrase_end", "last");
        private static final long PHRASE_REST = Score.TICKS_PER_QUARTER;

        static MelodyProfiles read() {
            double[][][] weights = new double[MODES.size()][FEATURES.size()][];
            try (InputStream in = KeyFinder.class.getResourceAsStream("key-profiles.txt")) {
                if (in == null) throw new IllegalStateException("key-profiles.txt is missing from the music module");
                BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
                for (String line; (line = reader.readLine()) != null; ) {
                    if (line.isBlank() || line.startsWith("#")) continue;
                    String[] fields = line.trim().split("\\s+");
                    double[] row = new double[12];
                    for (int i = 0; i < 12; i++) row[i] = Double.parseDouble(fields[2 + i]);
                    weights[MODES.indexOf(fields[0])][FEATURES.indexOf(fields[1])] = row;
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return new MelodyProfiles(weights);
        }

        KeySignature best(List<Note> melody) {
            return key(argmax(scores(melody)));
        }

        /** 24 scores, index mode x 12 + tonic. */
        double[] scores(List<Note> melody) {
            double[][] features = features(melody);
            double[] scores = new double[24];
            for (int mode = 0; mode < 2; mode++) {
                for (int tonic = 0; tonic < 12; tonic++) {
                    double score = 0;
                    for (int f = 0; f < features.length; f++) {
                        for (int i = 0; i < 12; i++) score += weights[mode][f][i] * features[f][(tonic + i) % 12];
                    }
                    scores[mode * 12 + tonic] = score;
                }
            }
            return scores;
        }

        private static double[][] features(List<Note> melody) {
            List<Note> notes = melody.stream().sorted(Comparator.comparingLong(Note::onset).thenComparingLong(Note::end)).toList();
            double[][] features = new double[3][12];
            for (int i = 0; i < notes.size(); i++) {
                Note note = notes.get(i);
                features[0][note.pitch() % 12] += note.duration();
                boolean endsPhrase = i + 1 == notes.size() || notes.get(i + 1).onset() - note.end() >= PHRASE_REST;
                if (endsPhrase) features[1][note.pitch() % 12] += note.duration();
            }
            if (!notes.isEmpty()) features[2][notes.get(notes.size() - 1).pitch() % 12] = 1;
            for (double[] row : features) {
                double sum = 0;
                for (double v : row) sum += v;
                if (sum > 0) for (int i = 0; i < 12; i++) row[i] /= sum;
            }
            return features;
        }

        static int argmax(double[] scores) {
            int best = 0;
            for (int i = 1; i < scores.length; i++) if (scores[i] > scores[best]) best = i;
            return best;
        }

        static int index(KeySignature key) {
            return (key.mode() == KeySignature.Mode.MAJOR ? 0 : 12) + key.tonic();
        }

        static KeySignature key(int index) {
            return new KeySignature(0, index % 12, index < 12 ? KeySignature.Mode.MAJOR : KeySignature.Mode.MINOR);
        }
    }
}
