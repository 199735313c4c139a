package dev.merlai.arranger.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Chord progressions as paths through the beats of a song, one root + maj/min group ({@code chord_groups}) per beat:
 * a path scores the sum of its beats' group log-probabilities, less {@code changeCost} for each change of group that
 * does not fall on a bar's first beat. On such a lattice the
 * product can keep the chords a user gives (a clamped beat allows only its group) and let the open beats join them,
 * list a phrase's next-best progressions with their probabilities, and draw another progression for some bars.
 *
 * <p>Every search runs over a window of beats {@code [from, to)} whose neighbours outside it are fixed ({@code before},
 * {@code after}: a group, or -1 for none), so a phrase's answers join the chords around it.
 *
 * @param changeCost the log-probability a change of chord inside a bar costs (0: each beat on its own)
 */
public record ChordPaths(double changeCost) {

    public ChordPaths {
        if (!(changeCost >= 0)) throw new IllegalArgumentException("change cost must be >= 0, was " + changeCost);
    }

    /**
     * The beats of a song as the lattice sees them.
     *
     * @param groupLogProbs per beat, the log-probability of each group (normalised over the groups); a beat's
     *                      disallowed groups are {@link Double#NEGATIVE_INFINITY}
     * @param barStart      per beat, whether it is the first beat of its bar (a change there costs nothing)
     */
    public record Beats(double[][] groupLogProbs, boolean[] barStart) {

        public int size() {
            return groupLogProbs.length;
        }

        /** These beats with {@code clamp[b]} (a group, or -1 where open) the only group allowed on each clamped beat. */
        public Beats clamped(int[] clamp) {
            double[][] scores = new double[size()][];
            for (int b = 0; b < size(); b++) {
                scores[b] = groupLogProbs[b].clone();
                if (clamp[b] < 0) continue;
                Arrays.fill(scores[b], Double.NEGATIVE_INFINITY);
                scores[b][clamp[b]] = 0;
            }
            return new Beats(scores, barStart);
        }

        /** These beats with every log-probability times {@code factor}: above 1, likelier groups are drawn more often still. */
        public Beats sharpened(double factor) {
            double[][] scores = new double[size()][];
            for (int b = 0; b < size(); b++) scores[b] = Arrays.stream(groupLogProbs[b]).map(v -> v * factor).toArray();
            return new Beats(scores, barStart);
        }

        /** These beats with the group {@code path[b]} ruled out on each beat of {@code [from, to)} that allows another. */
        public Beats excluding(int[] path, int from, int to) {
            double[][] scores = groupLogProbs.clone();
            for (int b = from; b < to; b++) {
                long allowed = Arrays.stream(groupLogProbs[b]).filter(v -> v > Double.NEGATIVE_INFINITY).count();
                if (allowed < 2) continue;
                scores[b] = groupLogProbs[b].clone();
                scores[b][path[b]] = Double.NEGATIVE_INFINITY;
            }
            return new Beats(scores, barStart);
        }
    }

    /**
     * A progression over a window of beats.
     *
     * @param groups      the group of each beat of the window
     * @param probability its probability among every progression of the window, given the chords around it
     */
    public record Path(int[] groups, double probability) {
    }

    /** The best path over every beat (Viterbi). */
    public int[] best(Beats beats) {
        if (beats.size() == 0) return new int[0];
        return kBest(beats, 0, beats.size(), -1, -1, 1).get(0).groups();
    }

    /**
     * The {@code k} best paths over {@code [from, to)}, best first, with their probabilities (list Viterbi); fewer
     * when the window has fewer paths.
     */
    public List<Path> kBest(Beats beats, int from, int to, int before, int after, int k) {
        int length = to - from;
        int groups = beats.groupLogProbs()[from].length;
        // entries[t][g]: the k best partial paths ending in group g at beat from + t: score, previous group, its rank
        Entry[][][] entries = new Entry[length][groups][];
        Best best = new Best(k);
        for (int t = 0; t < length; t++) {
            int beat = from + t;
            for (int g = 0; g < groups; g++) {
                double own = beats.groupLogProbs()[beat][g];
                boolean closes = t == length - 1 && after >= 0 && to < beats.size();
                double closing = closes ? transition(beats, to, g, after) : 0;
                best.clear();
                if (own > Double.NEGATIVE_INFINITY) {
                    if (t == 0) {
                        best.offer(closed(own + transition(beats, beat, before, g), closes, closing), -1, -1);
                    } else {
                        for (int p = 0; p < groups; p++) {
                            Entry[] previous = entries[t - 1][p];
                            double change = transition(beats, beat, p, g);
                            for (int r = 0; r < previous.length; r++) {
                                best.offer(closed(previous[r].score + own + change, closes, closing), p, r);
                            }
                        }
                    }
                }
                entries[t][g] = best.entries();
            }
        }
        List<int[]> ends = new ArrayList<>(); // {group, rank}
        for (int g = 0; g < groups; g++) for (int r = 0; r < entries[length - 1][g].length; r++) ends.add(new int[]{g, r});
        ends.sort(Comparator.comparingDouble((int[] end) -> -entries[length - 1][end[0]][end[1]].score));
        double logTotal = logPartition(beats, from, to, before, after);
        List<Path> paths = new ArrayList<>();
        for (int[] end : ends.subList(0, Math.min(k, ends.size()))) {
            int[] path = new int[length];
            int g = end[0], r = end[1];
            double score = entries[length - 1][g][r].score;
            for (int t = length - 1; t >= 0; t--) {
                path[t] = g;
                Entry entry = entries[t][g][r];
                g = entry.previous;
                r = entry.rank;
            }
            paths.add(new Path(path, Math.exp(score - logTotal)));
        }
        return paths;
    }

    /** The probability of {@code path} (the groups of beats {@code [from, to)}) among every path over the window. */
    public double probability(Beats beats, int from, int to, int before, int after, int[] path) {
        double score = 0;
        int previous = before;
        for (int t = 0; t < path.length; t++) {
            score += beats.groupLogProbs()[from + t][path[t]] + transition(beats, from + t, previous, path[t]);
            previous = path[t];
        }
        if (after >= 0 && to < beats.size()) score += transition(beats, to, previous, after);
        return Math.exp(score - logPartition(beats, from, to, before, after));
    }

    /** A path over {@code [from, to)} drawn in proportion to its probability (forward filtering, backward sampling). */
    public int[] sample(Beats beats, int from, int to, int before, int after, SplittableRandom random) {
        double[][] forward = forward(beats, from, to, before);
        int groups = forward[0].length;
        int[] path = new int[to - from];
        int next = after >= 0 && to < beats.size() ? after : -1;
        for (int t = to - from - 1; t >= 0; t--) {
            double[] weights = new double[groups];
            for (int g = 0; g < groups; g++) weights[g] = forward[t][g] + (next < 0 ? 0 : transition(beats, from + t + 1, g, next));
            path[t] = draw(weights, random);
            next = path[t];
        }
        return path;
    }

    /** The log of the summed probability of every path over the window (the forward algorithm). */
    private double logPartition(Beats beats, int from, int to, int before, int after) {
        double[][] forward = forward(beats, from, to, before);
        double[] last = forward[to - from - 1].clone();
        if (after >= 0 && to < beats.size()) for (int g = 0; g < last.length; g++) last[g] += transition(beats, to, g, after);
        return logSumExp(last);
    }

    private double[][] forward(Beats beats, int from, int to, int before) {
        int groups = beats.groupLogProbs()[from].length;
        double[][] forward = new double[to - from][groups];
        for (int t = 0; t < to - from; t++) {
            int beat = from + t;
            for (int g = 0; g < groups; g++) {
                double own = beats.groupLogProbs()[beat][g];
                if (t == 0) {
                    forward[t][g] = own + transition(beats, beat, before, g);
                    continue;
                }
                double[] incoming = new double[groups];
                for (int p = 0; p < groups; p++) incoming[p] = forward[t - 1][p] + transition(beats, beat, p, g);
                forward[t][g] = own + logSumExp(incoming);
            }
        }
        return forward;
    }

    /** The log-weight of moving from group {@code previous} (or -1: none) to {@code next} at beat {@code beat}. */
    private double transition(Beats beats, int beat, int previous, int next) {
        return previous < 0 || previous == next || beats.barStart()[beat] ? 0 : -changeCost;
    }

    private static int draw(double[] logWeights, SplittableRandom random) {
        double top = Arrays.stream(logWeights).max().orElseThrow();
        double[] weights = new double[logWeights.length];
        double total = 0;
        for (int g = 0; g < weights.length; g++) total += weights[g] = Math.exp(logWeights[g] - top);
        double target = random.nextDouble() * total;
        int last = -1;
        for (int g = 0; g < weights.length; g++) {
            if (weights[g] == 0) continue;
            last = g;
            target -= weights[g];
            if (target < 0) return g;
        }
        return last;
    }

    static double logSumExp(double[] values) {
        double top = Arrays.stream(values).max().orElse(Double.NEGATIVE_INFINITY);
        if (top == Double.NEGATIVE_INFINITY) return top;
        double sum = 0;
        for (double v : values) sum += Math.exp(v - top);
        return top + Math.log(sum);
    }

    private record Entry(double score, int previous, int rank) {
    }

    private static double closed(double score, boolean closes, double closing) {
        return closes ? score + closing : score;
    }

    /**
     * The {@code k} best of the candidates offered, best first; of equal scores the one offered first (as a stable
     * sort keeps them), so the lattice keeps the same paths a sort of every candidate would, without holding them all.
     */
    private static final class Best {
        private final Entry[] kept;
        private int size;

        Best(int k) {
            kept = new Entry[k];
        }

        void clear() {
            size = 0;
        }

        void offer(double score, int previous, int rank) {
            int at = size;
            while (at > 0 && Double.compare(-score, -kept[at - 1].score) < 0) at--;
            if (at == kept.length) return;
            int moved = Math.min(size, kept.length - 1) - at;
            System.arraycopy(kept, at, kept, at + 1, moved);
            kept[at] = new Entry(score, previous, rank);
            size = Math.min(size + 1, kept.length);
        }

        Entry[] entries() {
            return Arrays.copyOf(kept, size);
        }
    }
}
