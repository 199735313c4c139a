package dev.merlai.plugins;

import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class RankerTest {

    private static final Catalog CATALOG = Catalog.seed();
    private static final Ranker RANKER = Ranker.standard();

    private static Situation jazzBass() {
        return Situation.checkSet().stream().filter(s -> s.role().equals("bass") && s.style().equals("jazz")).findFirst().orElseThrow();
    }

    @Test
    void noRecommendationCrossesAHardFilter() {
        Random random = new Random(9);
        List<String> formats = List.copyOf(Preferences.FORMATS);
        List<String> systems = List.copyOf(Preferences.SYSTEMS);
        for (int trial = 0; trial < 200; trial++) {
            Preferences preferences = new Preferences(List.of(formats.get(random.nextInt(formats.size()))),
                    List.of(systems.get(random.nextInt(systems.size()))), random.nextBoolean());
            for (Situation s : Situation.checkSet()) {
                for (Recommendation r : RANKER.rank(s.profile(), CATALOG, preferences, Map.of(), 5)) {
                    PluginEntry e = r.entry();
                    if (e.isFallback()) {
                        assertTrue(e.formats().isEmpty() && e.isFree(), "a fallback needs no plugin and costs nothing");
                        continue;
                    }
                    assertTrue(e.formats().stream().anyMatch(preferences.formats()::contains), e.id() + " vs " + preferences);
                    assertTrue(e.os().stream().anyMatch(preferences.os()::contains), e.id() + " vs " + preferences);
                    assertTrue(!preferences.freeOnly() || e.isFree(), e.id() + " vs " + preferences);
                }
            }
        }
    }

    @Test
    void preferencesThatLeaveNoPluginFallBackToGeneralMidi() {
        Preferences linuxAax = new Preferences(List.of("AAX"), List.of("linux"), true);
        List<Recommendation> ranked = RANKER.rank(jazzBass().profile(), CATALOG, linuxAax, Map.of(), 3);
        assertTrue(ranked.stream().allMatch(r -> r.entry().isFallback()));
        assertEquals(32, ranked.get(0).gmProgram(), "Acoustic Bass for a jazz bass line");
    }

    @Test
    void withoutFeedbackTheRankingIsTheSameEveryTime() {
        for (Situation s : Situation.checkSet()) {
            assertEquals(RANKER.rank(s.profile(), CATALOG, Preferences.NONE, Map.of(), 5), Ranker.standard().rank(s.profile(), Catalog.seed(), Preferences.NONE, Map.of(), 5));
        }
    }

    @Test
    void rejectingTheTopSuggestionReplacedWithAnotherLiftsTheOtherForThatRole() {
        TrackProfile bass = jazzBass().profile();
        List<Recommendation> before = RANKER.rank(bass, CATALOG, Preferences.NONE, Map.of(), 3);
        String top = before.get(0).entry().id();
        Feedback replaced = new Feedback("t", "j", 2, "bass", Feedback.Verdict.REPLACED, top, "ik-modo-bass-2", Instant.EPOCH);
        List<Recommendation> after = RANKER.rank(bass, CATALOG, Preferences.NONE, replaced.adjustments(), 3);
        assertEquals("ik-modo-bass-2", after.get(0).entry().id());
        assertTrue(after.stream().noneMatch(r -> r.entry().id().equals(top)) || after.indexOf(after.stream().filter(r -> r.entry().id().equals(top)).findFirst().get()) > 0);
        assertTrue(after.get(0).reasons().stream().anyMatch(r -> r.contains("your feedback on bass tracks raised it")), after.get(0).reasons().toString());

        TrackProfile piano = Situation.checkSet().stream().filter(s -> s.role().equals("piano")).findFirst().orElseThrow().profile();
        assertEquals(RANKER.rank(piano, CATALOG, Preferences.NONE, Map.of(), 3), RANKER.rank(piano, CATALOG, Preferences.NONE, replaced.adjustments(), 3),
                "feedback on a bass line leaves piano parts alone");
    }

    @Test
    void whenTheTopSuggestionsAreAllPaidTheBestFreeInstrumentIsOfferedBeside() {
        for (Situation s : Situation.checkSet()) {
            List<Recommendation> top = RANKER.rank(s.profile(), CATALOG, Preferences.NONE, Map.of(), 3);
            var free = RANKER.freeAlternative(s.profile(), CATALOG, Preferences.NONE, Map.of(), 3);
            boolean topHasFree = top.stream().anyMatch(r -> r.entry().isFree() && !r.entry().isFallback());
            assertEquals(!topHasFree, free.isPresent(), s.description());
            free.ifPresent(f -> assertTrue(f.entry().isFree() && !f.entry().isFallback() && f.score() <= top.get(2).score(), s.description()));
        }
    }

    @Test
    void reasonsSpeakOfRoleRegisterDensityAndStyle() {
        Recommendation top = RANKER.rank(jazzBass().profile(), CATALOG, Preferences.NONE, Map.of(), 1).get(0);
        String reasons = String.join(" / ", top.reasons());
        for (String word : List.of("role: a bass line in jazz", "register: low", "bpm", "made for jazz")) assertTrue(reasons.contains(word), reasons);
        assertFalse(top.entry().isFallback());
        assertNotEquals(0, top.score());
    }

    @Test
    void aMultiCategoryInstrumentStandsInWithTheProgramOfWhatItPlays() {
        PluginEntry dexed = CATALOG.find("dexed").orElseThrow();
        assertEquals(5, Ranker.program(dexed, "electric-piano", "mid"));
        assertEquals(38, Ranker.program(dexed, "synth-bass", "low"));
        assertEquals(42, Ranker.program(CATALOG.find("ni-kontakt-factory-library").orElseThrow(), "solo-strings", "low"), "a cello for low solo strings");
        assertEquals(42, Ranker.program(CATALOG.find("audio-modeling-swam-solo-strings").orElseThrow(), "solo-strings", "low"), "its cello, not its violin");
        assertEquals(40, Ranker.program(CATALOG.find("audio-modeling-swam-solo-strings").orElseThrow(), "solo-strings", "high"));
        assertEquals(40, Ranker.program(CATALOG.gmFallback(40).orElseThrow(), "solo-strings", "low"), "a General MIDI fallback is its own program");
    }
}
