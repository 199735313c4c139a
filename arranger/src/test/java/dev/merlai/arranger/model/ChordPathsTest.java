package dev.merlai.arranger.model;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.SplittableRandom;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ChordPathsTest {

    /** Three groups (no chord, C, G) over four beats of one bar, then the first beat of the next bar. */
    private static final boolean[] BAR_STARTS = {true, false, false, false, true};

    private static ChordPaths.Beats beats(double[]... probabilities) {
        double[][] logs = new double[probabilities.length][];
        for (int b = 0; b < probabilities.length; b++) {
            logs[b] = new double[probabilities[b].length];
            for (int g = 0; g < logs[b].length; g++) logs[b][g] = Math.log(probabilities[b][g]);
        }
        return new ChordPaths.Beats(logs, BAR_STARTS);
    }

    private static final ChordPaths.Beats SONG = beats(
            new double[]{0.1, 0.8, 0.1}, new double[]{0.1, 0.45, 0.45}, new double[]{0.1, 0.4, 0.5},
            new double[]{0.1, 0.6, 0.3}, new double[]{0.1, 0.2, 0.7});

    @Test
    void withoutAChangeCostEachBeatTakesItsMostProbableGroup() {
        assertArrayEquals(new int[]{1, 1, 2, 1, 2}, new ChordPaths(0).best(SONG));
    }

    @Test
    void aChangeInsideABarCostsAndOneOnTheDownbeatDoesNot() {
        assertArrayEquals(new int[]{1, 1, 1, 1, 2}, new ChordPaths(1).best(SONG));
    }

    @Test
    void aClampedBeatKeepsItsGroupAndItsNeighboursJoinIt() {
        ChordPaths.Beats clamped = SONG.clamped(new int[]{2, -1, -1, -1, -1});
        assertArrayEquals(new int[]{2, 2, 2, 1, 2}, new ChordPaths(0.2).best(clamped));
        assertArrayEquals(new int[]{2, 2, 2, 2, 2}, new ChordPaths(1).best(clamped));
    }

    @Test
    void theKBestAreDistinctBestFirstAndTheirProbabilitiesAreThoseOfTheWholeLattice() {
        ChordPaths paths = new ChordPaths(0.5);
        List<ChordPaths.Path> best = paths.kBest(SONG, 1, 4, 1, 2, 3);
        assertEquals(3, best.size());
        double total = 0;
        int[][] all = new int[27][3];
        for (int i = 0; i < 27; i++) {
            all[i] = new int[]{i / 9, i / 3 % 3, i % 3};
            total += paths.probability(SONG, 1, 4, 1, 2, all[i]);
        }
        assertEquals(1, total, 1e-9);
        double[] ranked = java.util.Arrays.stream(all).mapToDouble(groups -> -paths.probability(SONG, 1, 4, 1, 2, groups)).sorted().map(p -> -p).toArray();
        for (int i = 0; i < 3; i++) {
            ChordPaths.Path path = best.get(i);
            assertEquals(paths.probability(SONG, 1, 4, 1, 2, path.groups()), path.probability(), 1e-12);
            for (int j = 0; j < i; j++) assertNotEquals(List.of(best.get(j).groups()), List.of(path.groups()));
            assertEquals(ranked[i], path.probability(), 1e-12, "path " + i + " is the " + (i + 1) + ". likeliest");
        }
    }

    @Test
    void theKBestOfRandomLatticesAreTheLikeliestOfEveryPathEnumerated() {
        SplittableRandom random = new SplittableRandom(7);
        boolean[] barStarts = {true, false, true, false, false, true};
        int groups = 5, k = 7;
        for (int lattice = 0; lattice < 20; lattice++) {
            double[][] logs = new double[barStarts.length][groups];
            for (double[] beat : logs) {
                for (int g = 0; g < groups; g++) beat[g] = random.nextInt(6) == 0 ? Double.NEGATIVE_INFINITY : Math.log(random.nextDouble(0.05, 1));
            }
            ChordPaths.Beats beats = new ChordPaths.Beats(logs, barStarts);
            ChordPaths paths = new ChordPaths(random.nextDouble(0, 2));
            int from = 1, to = 5, before = random.nextInt(groups), after = random.nextInt(groups);
            int length = to - from;
            double[] enumerated = new double[(int) Math.pow(groups, length)];
            for (int i = 0; i < enumerated.length; i++) {
                int[] path = new int[length];
                for (int t = 0, rest = i; t < length; t++, rest /= groups) path[t] = rest % groups;
                enumerated[i] = paths.probability(beats, from, to, before, after, path);
            }
            double[] ranked = java.util.Arrays.stream(enumerated).filter(p -> p > 0).map(p -> -p).sorted().map(p -> -p).toArray();
            List<ChordPaths.Path> best = paths.kBest(beats, from, to, before, after, k);
            assertEquals(Math.min(k, ranked.length), best.size(), "lattice " + lattice);
            for (int i = 0; i < best.size(); i++) assertEquals(ranked[i], best.get(i).probability(), 1e-12, "lattice " + lattice + ", path " + i);
        }
    }

    @Test
    void aDrawAvoidsWhatIsExcludedAndTheSameSeedDrawsTheSame() {
        ChordPaths paths = new ChordPaths(0.5);
        int[] first = paths.best(SONG);
        ChordPaths.Beats other = SONG.excluding(first, 1, 4);
        int[] drawn = paths.sample(other, 1, 4, first[0], first[4], new SplittableRandom(3));
        for (int t = 0; t < 3; t++) assertNotEquals(first[t + 1], drawn[t]);
        assertArrayEquals(drawn, paths.sample(other, 1, 4, first[0], first[4], new SplittableRandom(3)));
        boolean varies = false;
        for (int seed = 0; seed < 20 && !varies; seed++) varies = !java.util.Arrays.equals(drawn, paths.sample(other, 1, 4, first[0], first[4], new SplittableRandom(seed)));
        assertTrue(varies, "other seeds draw other progressions");
    }
}
