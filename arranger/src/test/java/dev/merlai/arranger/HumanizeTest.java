package dev.merlai.arranger;

import dev.merlai.arranger.grid.MetricGrid;
import dev.merlai.arranger.model.ArrangementModels;
import dev.merlai.music.Note;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.Track;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code humanize}: the generated parts' feel, from on the grid at even velocities (0) to as POP909's players play (1). */
class HumanizeTest {

    private static ArrangementModels models;
    private static Arranger arranger;
    private static Score odeToJoy;

    @BeforeAll
    static void loadModels() throws Exception {
        models = ArrangementModels.loadShipped(2);
        arranger = new Arranger(models);
        odeToJoy = Examples.odeToJoy();
    }

    @AfterAll
    static void closeModels() {
        models.close();
    }

    private static List<Track> generated(Score arranged) {
        return arranged.tracks().stream().filter(t -> Set.of(Role.PIANO, Role.BASS, Role.COUNTER_MELODY).contains(t.role())).toList();
    }

    @Test
    void humanizeZeroPlaysEveryGeneratedPartOnTheSixteenthGridAtOneVelocity() throws Exception {
        Score arranged = arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT.with(o -> o.humanize(0))).score();
        assertEquals(3, generated(arranged).size(), "piano, bass and counter-melody");
        for (Track track : generated(arranged)) {
            assertEquals(1, track.notes().stream().map(Note::velocity).distinct().count(), track.name() + " at one velocity");
            assertTrue(track.notes().stream().allMatch(n -> n.onset() % MetricGrid.STEP_TICKS == 0), track.name() + " on the grid");
        }
    }

    @Test
    void byDefaultEachGeneratedPartBreathesWhileTheMelodyStaysAsGiven() throws Exception {
        Score arranged = arranger.arrange(odeToJoy, ArrangeOptions.DEFAULT).score();
        assertEquals(odeToJoy.melody().orElseThrow(), arranged.melody().orElseThrow(), "the melody is the user's");
        for (Track track : generated(arranged)) {
            Set<Integer> velocities = track.notes().stream().map(Note::velocity).collect(Collectors.toSet());
            assertTrue(velocities.size() >= 8, track.name() + " plays " + velocities.size() + " velocities");
        }
        long offGrid = generated(arranged).stream().flatMap(t -> t.notes().stream()).filter(n -> n.onset() % MetricGrid.STEP_TICKS != 0).count();
        assertTrue(offGrid > 0, "some notes a little off the grid");
    }

    @Test
    void humanizeOutsideZeroToOneIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ArrangeOptions.DEFAULT.with(o -> o.humanize(1.5)));
        assertEquals("humanize must be 0..1, was 1.5", e.getMessage());
    }
}
