package dev.merlai.arranger.drums;

import dev.merlai.arranger.ArrangeOptions;
import dev.merlai.arranger.Arrangement;
import dev.merlai.arranger.Arranger;
import dev.merlai.arranger.BarRange;
import dev.merlai.arranger.Examples;
import dev.merlai.arranger.Style;
import dev.merlai.arranger.form.Section;
import dev.merlai.arranger.form.SongForm;
import dev.merlai.arranger.grid.MetricGrid;
import dev.merlai.arranger.model.ArrangementModels;
import dev.merlai.music.Bar;
import dev.merlai.music.MeterMap;
import dev.merlai.music.Note;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.TempoMap;
import dev.merlai.music.TimeSignature;
import dev.merlai.music.Track;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The shipped drum model plays under real arrangements: what a drummer and a producer would check. */
class DrummerTest {

    private static final int Q = Score.TICKS_PER_QUARTER;
    private static final Set<Integer> KIT = Set.of(36, 38, 42, 46, 43, 47, 50, 49, 51);
    private static ArrangementModels models;
    private static Arranger arranger;
    private static Score odeToJoy;

    @BeforeAll
    static void loadModels() throws Exception {
        models = Examples.shippedModels();
        arranger = Examples.shippedArranger();
        odeToJoy = Examples.odeToJoy();
    }


    @Test
    void aPopSongGetsADrumTrackOnChannelTenWithGeneralMidiNotesPlayedByAHuman() throws Exception {
        Score arranged = arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT).score();
        Track drums = drums(arranged).orElseThrow();
        assertEquals(Track.DRUM_CHANNEL, drums.channel());
        assertTrue(drums.notes().stream().allMatch(n -> KIT.contains(n.pitch())), "GM kit notes only");
        Set<Integer> played = drums.notes().stream().map(Note::pitch).collect(Collectors.toSet());
        assertTrue(played.containsAll(Set.of(36, 38)) && (played.contains(42) || played.contains(51)), "kick, snare and a hi-hat or ride: " + played);
        // every bar the song plays in (a late last hit can ring a few ticks into the bar after)
        long lastOnset = arranged.tracks().stream().flatMap(t -> t.notes().stream()).mapToLong(Note::onset).max().orElseThrow();
        for (Bar bar : arranged.meter().bars(lastOnset + 1)) {
            assertTrue(!drums.notesStartingIn(bar.start(), bar.end()).isEmpty(), "drums in bar " + bar.number());
        }
        long velocities = drums.notes().stream().map(Note::velocity).distinct().count();
        long offGrid = drums.notes().stream().filter(n -> n.onset() % MetricGrid.STEP_TICKS != 0).count();
        assertTrue(velocities > 10, "each hit its own velocity: " + velocities + " distinct");
        assertTrue(offGrid > drums.notes().size() / 2, "hits are micro-timed: " + offGrid + " of " + drums.notes().size() + " off the grid");
        assertEquals(odeToJoy.melody(), arranged.melody(), "the melody is kept");
    }

    @Test
    void eachSongIsPlayedByItsOwnDrummerLouderOrSofterTighterOrLooserWithMoreOrLessContrastAsGmdsPerformancesDiffer() throws Exception {
        List<Double> levels = new ArrayList<>(), looseness = new ArrayList<>(), contrast = new ArrayList<>();
        for (int seed = 1; seed <= 6; seed++) {
            int drummer = seed;
            Score arranged = arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT.with(o -> o.seed(drummer))).score();
            Track drums = drums(arranged).orElseThrow();
            List<Note> hits = drums.notes();
            levels.add(hits.stream().mapToDouble(Note::velocity).average().orElseThrow());
            contrast.add(arranged.meter().bars(arranged.endTick()).stream()
                    .mapToDouble(bar -> velocitySpread(drums.notesStartingIn(bar.start(), bar.end()))).average().orElseThrow());
            looseness.add(hits.stream().mapToDouble(n -> Math.abs(Math.floorMod(n.onset() + MetricGrid.STEP_TICKS / 2, MetricGrid.STEP_TICKS)
                    - MetricGrid.STEP_TICKS / 2)).average().orElseThrow());
        }
        // one drummer for every seed: mean velocities 71..92, mean offsets 18..21 ticks and mean per-bar velocity spreads
        // 24..33 on these six (the model's own drift)
        double loudest = Collections.max(levels), softest = Collections.min(levels);
        assertTrue(loudest - softest > 35, "mean velocities " + levels);
        assertTrue(Collections.max(looseness) / Collections.min(looseness) > 1.3, "mean offsets in ticks " + looseness);
        assertTrue(Collections.max(contrast) / Collections.min(contrast) > 1.6, "mean per-bar velocity spreads " + contrast);
    }

    private static double velocitySpread(List<Note> notes) {
        double mean = notes.stream().mapToDouble(Note::velocity).average().orElse(0);
        return Math.sqrt(notes.stream().mapToDouble(n -> (n.velocity() - mean) * (n.velocity() - mean)).average().orElse(0));
    }

    @Test
    void aSectionsGrooveBarsRepeatItsFigureWithSmallVariationsAsADrummerRepeatsHis() throws Exception {
        List<Double> shared = new ArrayList<>();
        for (int seed = 1; seed <= SEEDS; seed++) {
            int song = seed;
            Arrangement arrangement = arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT.with(o -> o.seed(song)));
            List<List<Set<Integer>>> sections = grooveBars(arrangement);
            for (List<Set<Integer>> bars : sections) {
                for (int b = 1; b < bars.size(); b++) shared.add(jaccard(bars.get(b - 1), bars.get(b)));
            }
        }
        // the share of hits (by note and step) two neighbouring groove bars have in common: 0.58 here; drums 1.4.0 measured
        // 0.49 with every bar's cells drawn on their own (the model hears the bar before, but draws each cell anew)
        double mean = shared.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        long same = shared.stream().filter(j -> j == 1).count();
        assertTrue(mean > 0.53 && same < shared.size() / 2, "hits a groove bar shares with the bar before it: " + mean + ", identical " + same + " of " + shared.size());
    }

    @Test
    void aBarsGhostSnaresComeTogetherOrNotAtAllAsADrummerPlaysThem() throws Exception {
        int[] ghostsPerBar = new int[17];
        for (int seed = 1; seed <= SEEDS; seed++) {
            int song = seed;
            Arrangement arrangement = arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT.with(o -> o.seed(song)));
            for (List<Set<Integer>> bars : grooveBars(arrangement)) {
                for (Set<Integer> bar : bars) {
                    // a snare off the backbeat (steps 4 and 12 of 16) is a ghost note
                    ghostsPerBar[(int) bar.stream().filter(hit -> hit / 16 == 38 && hit % 16 != 4 && hit % 16 != 12).count()]++;
                }
            }
        }
        // GMD's drummers play no ghost snare in 44% of their pop/rock groove bars (validation, tune half) and several in
        // most others; here 34% have none; drums 1.4.0 measured 23% with each cell drawn on its own (one or two scattered
        // into most bars)
        int bars = java.util.Arrays.stream(ghostsPerBar).sum();
        assertTrue(ghostsPerBar[0] > bars * 0.27, "bars with 0, 1, 2.. ghost snares: " + java.util.Arrays.toString(ghostsPerBar));
    }

    @Test
    void aBarsHiHatPlaysItsPassingSixteenthsTogetherOrNotAtAll() throws Exception {
        int partial = 0, withSixteenths = 0;
        for (int seed = 1; seed <= SEEDS; seed++) {
            int song = seed;
            Arrangement arrangement = arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT.with(o -> o.seed(song)));
            for (List<Set<Integer>> bars : grooveBars(arrangement)) {
                for (Set<Integer> bar : bars) {
                    long odd = bar.stream().filter(hit -> hit / 16 == 42 && hit % 2 == 1).count();
                    if (odd > 0) withSixteenths++;
                    if (odd > 0 && odd < 7) partial++;
                }
            }
        }
        // of the groove bars whose hi-hat plays odd 16ths, those that play some but not nearly all of them: 25 of 28 here,
        // 34 of 34 with each cell drawn on its own (GMD validation's tune half: 39% of its bars with hand-played hi-hats)
        assertTrue(partial < withSixteenths * 0.95, "bars with a scattering of odd 16ths on the hi-hat: " + partial + " of " + withSixteenths);
    }

    private static final int SEEDS = 16;

    /**
     * The groove bars of each section of the arrangement's form (neither its first bar, which crashes, nor its last,
     * which fills), each as its hits: GM note * 16 + the 16th step it sits nearest.
     */
    private static List<List<Set<Integer>>> grooveBars(Arrangement arrangement) {
        Track drums = drums(arrangement.score()).orElseThrow();
        List<Bar> starts = formBars(arrangement, "\\((\\d+)"), ends = formBars(arrangement, "-?(\\d+)\\)");
        List<List<Set<Integer>>> sections = new ArrayList<>();
        for (int i = 0; i < starts.size(); i++) {
            List<Set<Integer>> bars = new ArrayList<>();
            for (Bar bar : arrangement.score().meter().bars(arrangement.score().endTick())) {
                if (bar.number() <= starts.get(i).number() || bar.number() >= ends.get(i).number()) continue;
                Set<Integer> hits = new java.util.HashSet<>();
                for (Note n : drums.notesStartingIn(bar.start() - MetricGrid.STEP_TICKS / 2, bar.end() - MetricGrid.STEP_TICKS / 2)) {
                    hits.add(n.pitch() * 16 + (int) Math.round((n.onset() - bar.start()) / (double) MetricGrid.STEP_TICKS));
                }
                bars.add(hits);
            }
            sections.add(bars);
        }
        return sections;
    }

    private static double jaccard(Set<Integer> a, Set<Integer> b) {
        Set<Integer> both = new java.util.HashSet<>(a);
        both.retainAll(b);
        return both.size() / (double) (a.size() + b.size() - both.size());
    }

    @Test
    void aSectionStartsWithACrashOnItsDownbeat() throws Exception {
        Arrangement arrangement = arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT);
        Track drums = drums(arrangement.score()).orElseThrow();
        List<Bar> starts = formBars(arrangement, "\\((\\d+)");
        for (Bar bar : starts) {
            assertTrue(drums.notesStartingIn(bar.start() - Q / 8, bar.start() + Q / 8).stream().anyMatch(n -> n.pitch() == 49),
                    "crash on the downbeat of bar " + bar.number() + " in " + arrangement.form());
        }
        assertTrue(starts.size() >= 4, arrangement.form());
    }

    @Test
    void theBarBeforeEachNewSectionPlaysAnAudibleFill() throws Exception {
        Arrangement arrangement = arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT);
        Track drums = drums(arrangement.score()).orElseThrow();
        List<Bar> ends = formBars(arrangement, "-?(\\d+)\\)");
        ends = ends.subList(0, ends.size() - 1);   // the song's end leads into no section
        int audible = 0;
        for (Bar bar : ends) {
            long secondHalf = bar.start() + (bar.end() - bar.start()) / 2;
            long tomsAndSnare = drums.notesStartingIn(secondHalf, bar.end() - Q / 8).stream().filter(n -> Set.of(38, 43, 47, 50).contains(n.pitch())).count();
            if (tomsAndSnare >= 4) audible++;
        }
        assertTrue(ends.size() >= 3 && audible * 5 >= ends.size() * 4,
                audible + " of the " + ends.size() + " section ends fill with toms or snare in " + arrangement.form());
    }

    /** The bars whose numbers {@code regex}'s first group finds in the arrangement's form ({@code A(1-4) B(5-8)}). */
    private static List<Bar> formBars(Arrangement arrangement, String regex) {
        List<Bar> bars = arrangement.score().meter().bars(arrangement.score().endTick());
        java.util.regex.Matcher number = java.util.regex.Pattern.compile(regex).matcher(arrangement.form());
        List<Bar> found = new ArrayList<>();
        while (number.find()) {
            int wanted = Integer.parseInt(number.group(1));
            found.add(bars.stream().filter(candidate -> candidate.number() == wanted).findFirst().orElseThrow());
        }
        return found;
    }

    @Test
    void threeFourIsPlayedInBarsOfThreeBeats() throws Exception {
        List<Note> waltz = new ArrayList<>();
        int[] tune = {67, 64, 64, 65, 62, 62, 60, 62, 64, 65, 67, 67};
        for (int bar = 0; bar < 16; bar++) {
            long start = bar * 3L * Q;
            waltz.add(new Note(tune[bar % 12], 90, start, 2 * Q - 20));
            waltz.add(new Note(tune[(bar + 3) % 12], 80, start + 2 * Q, Q - 20));
        }
        Score score = new Score(TempoMap.constant(150), new MeterMap(List.of(new TimeSignature(0, 3, 4))), List.of(), List.of(),
                List.of(new Track("MELODY", Role.MELODY, 0, 0, waltz)));
        Arrangement arrangement = arranger.arrange(score, ArrangeOptions.DEFAULT.with(o -> o.seed(3)));
        assertEquals(new MeterMap(List.of(new TimeSignature(0, 3, 4))), arrangement.score().meter(), arrangement.meter());
        Track drums = drums(arrangement.score()).orElseThrow();
        for (int bar = 0; bar < 16; bar++) {
            long start = bar * 3L * Q;
            assertTrue(!drums.notesStartingIn(start - Q / 8, start + 3 * Q - Q / 8).isEmpty(), "drums in bar " + (bar + 1));
        }
    }

    @Test
    void drumsNoneGivesNoDrumsAndLiedHasNoneUnlessAsked() throws Exception {
        assertEquals(Optional.empty(), drums(arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT.with(o -> o.drums("none"))).score()));
        ArrangeOptions lied = ArrangeOptions.DEFAULT.with(o -> o.style(Style.LIED));
        assertEquals(Optional.empty(), drums(arranger.arrange(odeToJoy, lied).score()));
        assertTrue(drums(arranger.arrange(odeToJoy, lied.with(o -> o.drums("rock"))).score()).isPresent());
    }

    @Test
    void theSameSeedGivesTheSameDrumsAndOtherStylesPlayOtherwise() throws Exception {
        Track one = drums(arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT.with(o -> o.seed(7))).score()).orElseThrow();
        Track again = drums(arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT.with(o -> o.seed(7))).score()).orElseThrow();
        Track other = drums(arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT.with(o -> o.seed(8))).score()).orElseThrow();
        Track funk = drums(arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT.with(o -> o.seed(7).drums("funk"))).score()).orElseThrow();
        assertEquals(one, again);
        assertNotEquals(one.notes(), other.notes());
        assertNotEquals(one.notes(), funk.notes());
    }

    @Test
    void givenDrumsAreKeptAndBarsRegenerateOnlyThere() throws Exception {
        Score arranged = arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT.with(o -> o.seed(5))).score();
        Score infilled = arranger.arrange(arranged, ArrangeOptions.DEFAULT.with(o -> o.seed(6).bars(new BarRange(5, 8)))).score();
        long from = infilled.meter().bar(5).start(), to = infilled.meter().bar(8).end();
        Track before = drums(arranged).orElseThrow(), after = drums(infilled).orElseThrow();
        assertEquals(outside(before, from, to), outside(after, from, to));
        assertNotEquals(inside(before, from, to), inside(after, from, to));
        assertTrue(!inside(after, from, to).isEmpty());
        assertEquals(1, infilled.tracks(Role.DRUMS).size());

        Track given = new Track("Kit", Role.DRUMS, 0, Track.DRUM_CHANNEL, List.of(new Note(36, 100, 0, Q), new Note(38, 90, 2 * Q, Q)));
        List<Track> tracks = new ArrayList<>(odeToJoy.tracks());
        tracks.add(given);
        Track kept = drums(arranger.arrange(odeToJoy.withTracks(tracks), ArrangeOptions.DEFAULT).score()).orElseThrow();
        assertEquals("Kit", kept.name());
        assertEquals(Set.copyOf(given.notes()), inside(kept, 0, 4 * Q), "the given bar is kept note for note");
        assertTrue(!inside(kept, 4 * Q, 64 * Q).isEmpty(), "the other bars are played");
    }

    @Test
    void aHitPlayedJustAheadOfABarLineIsThatBarsDownbeat() throws Exception {
        MetricGrid grid = MetricGrid.over(new MeterMap(List.of(new TimeSignature(0, 4, 4))), 4 * 4L * Q);
        Note pushed = new Note(36, 100, 4 * Q - 20, Q / 4);
        Track given = new Track("Kit", Role.DRUMS, 0, Track.DRUM_CHANNEL, List.of(new Note(36, 100, 0, Q / 4), pushed));
        assertEquals(1, Drummer.barOf(grid, pushed));
        assertEquals(List.of(false, false, true, true), asList(Drummer.barsToPlay(grid, null, given)), "bar 2 has its (pushed) downbeat");

        List<Track> tracks = new ArrayList<>(odeToJoy.tracks());
        tracks.add(given);
        Track regenerated = drums(arranger.arrange(odeToJoy.withTracks(tracks), ArrangeOptions.DEFAULT.with(o -> o.bars(new BarRange(2, 2)))).score()).orElseThrow();
        assertTrue(!regenerated.notes().contains(pushed), "regenerating bar 2 replaces its pushed downbeat");
        assertTrue(regenerated.notes().contains(given.notes().get(0)), "bar 1 is kept");
    }

    private static List<Boolean> asList(boolean[] values) {
        List<Boolean> list = new ArrayList<>();
        for (boolean value : values) list.add(value);
        return list;
    }

    @Test
    void anUnknownDrumStyleIsRefusedNamingTheKnownOnes() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArrangeOptions.DEFAULT.with(o -> o.drums("polka")));
        assertTrue(e.getMessage().contains("rock"), e.getMessage());
        assertEquals(ArrangeOptions.DRUM_STYLES, models.drums().styles(), "the options offer what the shipped model plays");
    }

    @Test
    void thePlanFollowsTheFormFillingIntoEachSectionCrashingOnItsDownbeatAndRisingWithEachHearing() {
        MetricGrid grid = MetricGrid.over(new MeterMap(List.of(new TimeSignature(0, 4, 4))), 12 * 4L * Q);
        int[] repeats = new int[12], transposition = new int[12], occurrence = new int[12];
        java.util.Arrays.fill(repeats, -1);
        for (int b = 0; b < 12; b++) occurrence[b] = b < 2 ? 0 : b < 6 ? 1 : b < 10 ? 2 : 0;
        SongForm form = new SongForm(List.of(new Section("intro", 1, 2, -1, 0, 0), new Section("A", 3, 6, -1, 0, 1),
                new Section("A", 7, 10, 1, 0, 2), new Section("outro", 11, 12, -1, 0, 0)), repeats, transposition, occurrence);
        List<DrumPlan.BarPlan> plan = DrumPlan.of(grid, form).bars();
        List<Integer> fills = new ArrayList<>(), crashes = new ArrayList<>();
        for (int b = 0; b < plan.size(); b++) {
            if (plan.get(b).fill()) fills.add(b + 1);
            if (plan.get(b).crash()) crashes.add(b + 1);
        }
        assertEquals(List.of(2, 6, 10), fills, "a fill in the last bar before each new section, none at the song's end");
        assertEquals(List.of(1, 3, 7, 11), crashes);
        assertTrue(plan.get(6).energy() > plan.get(2).energy(), "the tune's second hearing is fuller than its first");
        assertTrue(plan.get(0).energy() < plan.get(2).energy(), "the intro is quieter than the tune");
    }

    private static Optional<Track> drums(Score score) {
        List<Track> drums = score.tracks(Role.DRUMS);
        return drums.isEmpty() ? Optional.empty() : Optional.of(drums.get(0));
    }

    private static Set<Note> inside(Track track, long from, long to) {
        return track.notes().stream().filter(n -> n.onset() >= from - Q / 8 && n.onset() < to - Q / 8).collect(Collectors.toSet());
    }

    private static Set<Note> outside(Track track, long from, long to) {
        Set<Note> all = Set.copyOf(track.notes());
        return all.stream().filter(n -> !inside(track, from, to).contains(n)).collect(Collectors.toSet());
    }
}
