package dev.merlai.arranger.harmony;

import dev.merlai.arranger.BarRange;
import dev.merlai.arranger.model.ChordDecoding;
import dev.merlai.arranger.model.ChordPaths;
import dev.merlai.music.Chord;
import dev.merlai.music.ChordSheet;
import dev.merlai.music.KeySignature;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The chord of every beat of a song from the chord model's answers and the chords a user gave: given beats keep their
 * chord exactly (pinned before the phrase echo, so the beats a phrase away hear them), the open ones take their likeliest
 * chord ({@link #CHOSEN}: the given beats clamped), bars to reharmonize get another progression drawn (seeded) with each
 * beat's first choice ruled out, and every phrase lists its chosen progression and the next-best ones with their
 * probabilities. Draws and alternatives are progressions ({@link #PROGRESSIONS}): chords that hold through a bar.
 */
public final class ChordLayer {

    /** Bars per phrase of the alternatives: songs repeat their harmony in 8-bar phrases. */
    public static final int PHRASE_BARS = 8;
    /** Progressions listed per phrase beside the chosen one. */
    public static final int ALTERNATIVES = 2;
    /** Log-probability of every other chord on a beat whose chord is given, so that the phrase echo hears the given one. */
    private static final double UNGIVEN_LOG_PROB = Math.log(1e-6);

    /**
     * The chosen chords: each open beat its likeliest group, as chord decoding has always done. A cost for changing
     * chord inside a bar lowered chord accuracy, PCS and MCTR on the POP909 validation-tune songs (cost 1: 0.523,
     * 0.650, 0.598; cost 2: 0.514, 0.637, 0.598; none: 0.528, 0.666, 0.612).
     */
    static final ChordPaths CHOSEN = new ChordPaths(0);
    /** Drawn and alternative progressions: a change inside a bar costs as much as e^2 times less likely chords. */
    static final ChordPaths PROGRESSIONS = new ChordPaths(2);
    /** Drawn progressions take the model's log-probabilities twice: likelier chords are drawn more often still. */
    static final double DRAW_SHARPNESS = 2;

    private final List<Chord> vocabulary;
    private final ChordDecoding decoding;

    public ChordLayer(List<String> vocabulary, ChordDecoding decoding) {
        this.vocabulary = vocabulary.stream().map(Chord::parse).toList();
        this.decoding = decoding;
    }

    /**
     * The beats of a song.
     *
     * @param barNumber per beat, the number of its bar
     * @param barStart  per beat, whether it is its bar's first beat
     * @param given     per beat, the chord the user gave, or null where open
     */
    public record Beats(int[] barNumber, boolean[] barStart, Chord[] given) {

        public int size() {
            return barNumber.length;
        }

        boolean open(int beat) {
            return given[beat] == null;
        }
    }

    /**
     * The chosen chord of each beat and each phrase's choices.
     *
     * @param chords       per beat, the chord (the given one where given)
     * @param alternatives per phrase that has open beats, the chosen progression first, then the next-best
     */
    public record Result(Chord[] chords, List<PhraseChoices> alternatives) {
    }

    /**
     * A phrase's progressions.
     *
     * @param bars         the phrase's bars
     * @param progressions the chosen progression, then up to {@link #ALTERNATIVES} others, the likeliest first, each distinct
     */
    public record PhraseChoices(BarRange bars, List<Progression> progressions) {

        /** As a client reads it: the bars ({@code 9-16}), and each progression in the {@link ChordSheet} syntax spelled in {@code key}. */
        public Spelled spelled(KeySignature key) {
            return new Spelled(bars.toString(), progressions.stream()
                    .map(progression -> new SpelledProgression(progression.chords().toString(key), progression.probability())).toList());
        }
    }

    /**
     * A phrase's choices as the result JSON lists them.
     *
     * @param bars         e.g. {@code 9-16}
     * @param progressions the chosen one first; each can be passed back as given chords
     */
    public record Spelled(String bars, List<SpelledProgression> progressions) {
    }

    /**
     * @param chords      e.g. {@code 9: C | 10: G | 11: Am,F}
     * @param probability among the phrase's progressions, given the chords around it
     */
    public record SpelledProgression(String chords, double probability) {
    }

    /**
     * @param chords      per bar, its chords (a bar whose beats change chord lists one per beat)
     * @param probability its probability among the phrase's progressions, given the chords around the phrase
     */
    public record Progression(ChordSheet chords, double probability) {
    }

    /**
     * Pins each given beat's answer on the given chord (its vocabulary class, else the class of its root + maj/min),
     * before the phrase echo: the echo then carries given chords to the beats a phrase away.
     */
    public double[][] pinGiven(double[][] beatLogProbs, Beats beats) {
        double[][] pinned = beatLogProbs.clone();
        for (int b = 0; b < beats.size(); b++) {
            if (beats.open(b)) continue;
            pinned[b] = new double[vocabulary.size()];
            Arrays.fill(pinned[b], UNGIVEN_LOG_PROB);
            pinned[b][vocabularyClass(beats.given()[b])] = 0;
        }
        return pinned;
    }

    /**
     * @param beatLogProbs per beat, the log-probability of each chord class (given beats pinned, echo applied)
     * @param reharmonize  bars that get a progression other than the best one, or null
     * @param seed         the draw for {@code reharmonize}: the same seed gives the same progression
     */
    public Result decide(double[][] beatLogProbs, Beats beats, BarRange reharmonize, long seed) {
        int n = beats.size();
        double[][] groupLogProbs = new double[n][];
        int[] clamp = new int[n];
        for (int b = 0; b < n; b++) {
            groupLogProbs[b] = decoding.groupLogProbs(beatLogProbs[b]);
            clamp[b] = beats.open(b) ? -1 : decoding.groupOf(vocabularyClass(beats.given()[b]));
        }
        ChordPaths.Beats lattice = new ChordPaths.Beats(groupLogProbs, beats.barStart()).clamped(clamp);
        int[] groups = CHOSEN.best(lattice);
        if (reharmonize != null) {
            int from = firstBeatOf(beats, reharmonize), to = endBeatOf(beats, reharmonize);
            if (from < to) {
                int[] drawn = PROGRESSIONS.sample(lattice.excluding(groups, from, to).sharpened(DRAW_SHARPNESS), from, to, from > 0 ? groups[from - 1] : -1,
                        to < n ? groups[to] : -1, new SplittableRandom(seed));
                System.arraycopy(drawn, 0, groups, from, drawn.length);
            }
        }
        Chord[] chords = chordsOf(groups, beatLogProbs, beats);
        return new Result(chords, phraseChoices(lattice, groups, chords, beatLogProbs, beats));
    }

    private List<PhraseChoices> phraseChoices(ChordPaths.Beats lattice, int[] groups, Chord[] chords, double[][] beatLogProbs, Beats beats) {
        List<PhraseChoices> phrases = new ArrayList<>();
        int n = beats.size();
        int from = 0;
        while (from < n) {
            int firstBar = beats.barNumber()[from];
            int to = from;
            while (to < n && beats.barNumber()[to] < firstBar + PHRASE_BARS) to++;
            boolean anyOpen = false;
            for (int b = from; b < to; b++) anyOpen |= beats.open(b);
            if (anyOpen) {
                int before = from > 0 ? groups[from - 1] : -1, after = to < n ? groups[to] : -1;
                int[] chosen = Arrays.copyOfRange(groups, from, to);
                List<Progression> progressions = new ArrayList<>();
                progressions.add(new Progression(sheet(chords, beats, from, to), PROGRESSIONS.probability(lattice, from, to, before, after, chosen)));
                for (ChordPaths.Path path : PROGRESSIONS.kBest(lattice, from, to, before, after, ALTERNATIVES + 1)) {
                    if (progressions.size() > ALTERNATIVES) break;
                    if (Arrays.equals(path.groups(), chosen)) continue;
                    int[] alternative = groups.clone();
                    System.arraycopy(path.groups(), 0, alternative, from, path.groups().length);
                    progressions.add(new Progression(sheet(chordsOf(alternative, beatLogProbs, beats), beats, from, to), path.probability()));
                }
                phrases.add(new PhraseChoices(new BarRange(firstBar, beats.barNumber()[to - 1]), List.copyOf(progressions)));
            }
            from = to;
        }
        return phrases;
    }

    /** The given chord on given beats, else the likeliest chord of the beat's group. */
    private Chord[] chordsOf(int[] groups, double[][] beatLogProbs, Beats beats) {
        Chord[] chords = new Chord[groups.length];
        for (int b = 0; b < groups.length; b++) {
            chords[b] = beats.open(b) ? vocabulary.get(decoding.bestInGroup(beatLogProbs[b], groups[b])) : beats.given()[b];
        }
        return chords;
    }

    /** Beats {@code [from, to)} as a chord sheet: one chord per bar where its beats agree, else one per beat. */
    private static ChordSheet sheet(Chord[] chords, Beats beats, int from, int to) {
        Map<Integer, List<Chord>> bars = new LinkedHashMap<>();
        for (int b = from; b < to; b++) bars.computeIfAbsent(beats.barNumber()[b], bar -> new ArrayList<>()).add(chords[b]);
        bars.replaceAll((bar, beatChords) -> beatChords.stream().distinct().count() == 1 ? List.of(beatChords.get(0)) : beatChords);
        return new ChordSheet(bars);
    }

    private int vocabularyClass(Chord chord) {
        Chord rootPosition = new Chord(chord.root(), chord.quality(), "");
        int exact = vocabulary.indexOf(chord.isNone() ? Chord.NONE : rootPosition);
        if (exact >= 0) return exact;
        return vocabulary.indexOf(Chord.of(chord.root(), chord.isMinor() ? "min" : "maj"));
    }

    private static int firstBeatOf(Beats beats, BarRange bars) {
        int b = 0;
        while (b < beats.size() && beats.barNumber()[b] < bars.first()) b++;
        return b;
    }

    private static int endBeatOf(Beats beats, BarRange bars) {
        int b = beats.size();
        while (b > 0 && beats.barNumber()[b - 1] > bars.last()) b--;
        return b;
    }
}
