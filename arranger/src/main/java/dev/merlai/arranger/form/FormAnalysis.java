package dev.merlai.arranger.form;

import dev.merlai.arranger.grid.MelodySteps;
import dev.merlai.arranger.grid.MetricGrid;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Hears a song's form from its melody alone, on the bars of the grid: which bars repeat an earlier bar's melody
 * (exactly, or transposed), its phrases and their A/B labels, and where the melody rests (intro, interludes, outro).
 *
 * <p>Phrases are cut every {@link #SHORT_PHRASE} bars, or every {@link #LONG_PHRASE} in a song of at least
 * {@link #LONG_SONG_BARS} sung bars (pop songs move in 8-bar phrases, short tunes in 4), starting again after each
 * interlude. A phrase takes the letter of the earlier phrase most like it (onsets at the same place with the same
 * pitch, after the best transposition): its label when it repeats it exactly, the letter with a prime when changed
 * or transposed, a new letter when fewer than {@link #NEAR} of its notes match.
 */
public final class FormAnalysis {

    static final int SHORT_PHRASE = 4;
    static final int LONG_PHRASE = 8;
    static final int LONG_SONG_BARS = 32;
    /** Rest bars in a row between sung bars that make an interlude rather than a breath. */
    static final int INTERLUDE_BARS = 2;
    /** Share of matching melody onsets from which a phrase counts as a (changed) repeat. */
    static final double NEAR = 0.5;
    /** A bar repeats another transposed only with at least this many onsets: a lone note repeats anything. */
    static final int TRANSPOSED_BAR_ONSETS = 3;
    /** Transpositions tried between phrases, in semitones either way. */
    static final int MAX_TRANSPOSITION = 7;
    private static final int NONE = Integer.MIN_VALUE;

    private final MetricGrid grid;
    private final MelodySteps melody;
    private final int bars;

    private FormAnalysis(MetricGrid grid, MelodySteps melody) {
        this.grid = grid;
        this.melody = melody;
        this.bars = grid.bars().size();
    }

    /** The form of the melody (laid on the grid's steps). */
    public static SongForm of(MetricGrid grid, MelodySteps melody) {
        return new FormAnalysis(grid, melody).analyse();
    }

    private SongForm analyse() {
        int[] repeatsBar = new int[bars];
        int[] transposition = new int[bars];
        int[] occurrence = new int[bars];
        for (int j = 0; j < bars; j++) {
            repeatsBar[j] = -1;
            if (!sung(j)) continue;
            occurrence[j] = 1;
            int transposed = -1;
            for (int k = 0; k < j; k++) {
                int shift = exactShift(k, j);
                if (shift == 0) {
                    if (repeatsBar[j] < 0 || transposition[j] != 0) {
                        repeatsBar[j] = k;
                        transposition[j] = 0;
                    }
                    occurrence[j]++;
                } else if (shift != NONE && transposed < 0 && onsets(j) >= TRANSPOSED_BAR_ONSETS) {
                    transposed = k;
                    if (repeatsBar[j] < 0) {
                        repeatsBar[j] = k;
                        transposition[j] = shift;
                    }
                }
            }
        }
        return new SongForm(sections(), repeatsBar, transposition, occurrence);
    }

    private List<Section> sections() {
        int first = 0, last = bars - 1;
        while (first < bars && !sung(first)) first++;
        while (last >= 0 && !sung(last)) last--;
        List<int[]> spans = new ArrayList<>(); // {first, last, kind: 0 sung, 1 interlude}
        if (first > last) {
            spans.add(new int[]{0, bars - 1, 1});
        } else {
            int start = first;
            int b = first;
            while (b <= last) {
                int restEnd = b;
                while (restEnd <= last && !sung(restEnd)) restEnd++;
                if (restEnd - b >= INTERLUDE_BARS) {
                    if (b > start) spans.add(new int[]{start, b - 1, 0});
                    spans.add(new int[]{b, restEnd - 1, 1});
                    start = restEnd;
                    b = restEnd;
                } else {
                    b = Math.max(b + 1, restEnd);
                }
            }
            spans.add(new int[]{start, last, 0});
        }
        int sungBars = 0;
        for (int[] span : spans) if (span[2] == 0) sungBars += span[1] - span[0] + 1;
        int phrase = sungBars >= LONG_SONG_BARS ? LONG_PHRASE : SHORT_PHRASE;

        List<Section> sections = new ArrayList<>();
        List<Integer> letters = new ArrayList<>(); // per section: its letter (0 = A), -1 for a rest
        List<int[]> barsOf = new ArrayList<>();
        if (first > 0 && first <= last) addRest(sections, letters, barsOf, "intro", 0, first - 1);
        for (int[] span : spans) {
            if (span[2] == 1) {
                addRest(sections, letters, barsOf, first > last ? "rest" : "interlude", span[0], span[1]);
                continue;
            }
            int start = span[0];
            while (start <= span[1]) {
                int end = Math.min(span[1], start + phrase - 1);
                if (span[1] - end < phrase / 2) end = span[1]; // a short tail joins its phrase
                addPhrase(sections, letters, barsOf, start, end);
                start = end + 1;
            }
        }
        if (first <= last && last < bars - 1) addRest(sections, letters, barsOf, "outro", last + 1, bars - 1);
        return List.copyOf(sections);
    }

    private void addRest(List<Section> sections, List<Integer> letters, List<int[]> barsOf, String label, int from, int to) {
        sections.add(new Section(label, number(from), number(to), -1, 0, 0));
        letters.add(-1);
        barsOf.add(new int[]{from, to});
    }

    private void addPhrase(List<Section> sections, List<Integer> letters, List<int[]> barsOf, int from, int to) {
        int best = -1, bestShift = 0;
        double bestSimilarity = 0;
        for (int s = 0; s < sections.size(); s++) {
            if (letters.get(s) < 0) continue;
            for (int shift = -MAX_TRANSPOSITION; shift <= MAX_TRANSPOSITION; shift++) {
                double similarity = similarity(barsOf.get(s)[0], barsOf.get(s)[1], from, to, shift);
                // the exact repeat wins ties, then the earliest section
                if (similarity > bestSimilarity + 1e-9 || (best >= 0 && Math.abs(similarity - bestSimilarity) < 1e-9 && shift == 0 && bestShift != 0)) {
                    best = s;
                    bestShift = shift;
                    bestSimilarity = similarity;
                }
            }
        }
        int occurrence = 1;
        if (best >= 0 && bestSimilarity >= NEAR) {
            int letter = letters.get(best);
            for (int l : letters) if (l == letter) occurrence++;
            boolean exact = bestShift == 0 && bestSimilarity >= 1 - 1e-9;
            String label = exact ? sections.get(best).label() : letter(letter) + "'";
            sections.add(new Section(label, number(from), number(to), best, bestShift, occurrence));
            letters.add(letter);
        } else {
            int letter = 0;
            for (int l : letters) letter = Math.max(letter, l + 1);
            sections.add(new Section(letter(letter), number(from), number(to), -1, 0, occurrence));
            letters.add(letter);
        }
        barsOf.add(new int[]{from, to});
    }

    private static String letter(int index) {
        return index < 26 ? String.valueOf((char) ('A' + index)) : "S" + (index + 1);
    }

    private int number(int bar) {
        return grid.bars().get(bar).number();
    }

    /** Matching onsets (same place, pitch moved by {@code shift}) over all onsets of two phrases laid bar on bar. */
    private double similarity(int aFrom, int aTo, int bFrom, int bTo, int shift) {
        int shared = 0, all = 0;
        int length = Math.max(aTo - aFrom, bTo - bFrom) + 1;
        for (int i = 0; i < length; i++) {
            Set<Long> a = aFrom + i <= aTo ? onsetSet(aFrom + i, shift) : Set.of();
            Set<Long> b = bFrom + i <= bTo ? onsetSet(bFrom + i, 0) : Set.of();
            Set<Long> union = new HashSet<>(a);
            union.addAll(b);
            int common = 0;
            for (long o : a) if (b.contains(o)) common++;
            shared += common;
            all += union.size();
        }
        return all == 0 ? 0 : shared / (double) all;
    }

    /** The bar's melody onsets as (step in bar, pitch + shift). */
    private Set<Long> onsetSet(int bar, int shift) {
        Set<Long> set = new HashSet<>();
        int first = grid.firstStepOfBar(bar);
        for (int t = first; t < grid.endStepOfBar(bar); t++) {
            if (melody.onset()[t] > 0) set.add(((long) (t - first) << 8) | (melody.pitch()[t] + shift));
        }
        return set;
    }

    /**
     * The semitones from bar {@code k}'s melody to bar {@code j}'s where {@code j} repeats it exactly (the same
     * onsets, the same rests, every pitch moved alike), else {@link #NONE}.
     */
    private int exactShift(int k, int j) {
        int kFirst = grid.firstStepOfBar(k), jFirst = grid.firstStepOfBar(j);
        int length = grid.endStepOfBar(j) - jFirst;
        if (grid.endStepOfBar(k) - kFirst != length) return NONE;
        int shift = NONE;
        for (int i = 0; i < length; i++) {
            long kPitch = melody.pitch()[kFirst + i], jPitch = melody.pitch()[jFirst + i];
            if (melody.onset()[kFirst + i] != melody.onset()[jFirst + i] || (kPitch == 0) != (jPitch == 0)) return NONE;
            if (kPitch == 0) continue;
            int difference = (int) (jPitch - kPitch);
            if (shift == NONE) shift = difference;
            else if (shift != difference) return NONE;
        }
        return shift == NONE ? NONE : shift;
    }

    private boolean sung(int bar) {
        return onsets(bar) > 0;
    }

    private int onsets(int bar) {
        int count = 0;
        for (int t = grid.firstStepOfBar(bar); t < grid.endStepOfBar(bar); t++) if (melody.onset()[t] > 0) count++;
        return count;
    }
}
