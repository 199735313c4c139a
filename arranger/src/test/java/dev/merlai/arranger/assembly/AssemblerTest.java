package dev.merlai.arranger.assembly;

import dev.merlai.arranger.BarRange;
import dev.merlai.arranger.Style;
import dev.merlai.arranger.grid.MetricGrid;
import dev.merlai.arranger.texture.BarPlan;
import dev.merlai.music.Chord;
import dev.merlai.music.ChordSpan;
import dev.merlai.music.KeySignature;
import dev.merlai.music.Note;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.Track;
import dev.merlai.music.theory.KeyFinder;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AssemblerTest {

    private static final int Q = Score.TICKS_PER_QUARTER;
    private static final Track MELODY = new Track("MELODY", Role.MELODY, 0, 0, List.of(new Note(72, 90, 0, 16 * Q)));
    private static final KeyFinder.Decision G_MAJOR = new KeyFinder.Decision(KeySignature.parse(0, "G:maj"), false, "estimated");
    private static final List<ChordSpan> CHORDS = List.of(new ChordSpan(0, 16 * Q, Chord.parse("G:maj")));

    @Test
    void theGeneratedPartsBecomeNewTracksOnTheFreeChannelsWithTheStylesPrograms() throws Exception {
        Score melodyOnly = Score.of(List.of(MELODY));
        MetricGrid grid = MetricGrid.over(melodyOnly.meter(), melodyOnly.endTick());
        List<Note> piano = List.of(new Note(62, 70, 0, Q), new Note(55, 70, 3 * Q, Q), new Note(50, 70, 2 * Q, Q), new Note(59, 70, 3 * Q, Q));
        List<Note> bass = List.of(new Note(47, 70, Q, Q), new Note(50, 70, 0, Q));
        Score arranged = Assembler.assemble(melodyOnly, grid, BarPlan.forInput(melodyOnly, grid, null),
                Map.of(Role.PIANO, piano, Role.BASS, bass, Role.COUNTER_MELODY, List.of(new Note(79, 75, 0, 2 * Q))), CHORDS, G_MAJOR, Style.POP);

        assertEquals(List.of(MELODY,
                        new Track("PIANO", Role.PIANO, 0, 1, List.of(new Note(62, 70, 0, Q), new Note(50, 70, 2 * Q, Q), new Note(55, 70, 3 * Q, Q),
                                new Note(59, 70, 3 * Q, Q))),
                        new Track("BASS", Role.BASS, 33, 2, List.of(new Note(50, 70, 0, Q), new Note(47, 70, Q, Q))),
                        new Track("COUNTER", Role.COUNTER_MELODY, 73, 3, List.of(new Note(79, 75, 0, 2 * Q)))),
                arranged.tracks(), "new tracks take the free channels in order, with the pop programs; piano and bass in time order");
        assertEquals(CHORDS, arranged.chords());
        assertEquals(List.of(G_MAJOR.key()), arranged.keys());
    }

    @Test
    void keptTracksLoseTheirNotesInWrittenBarsAndTakeTheNewOnes() throws Exception {
        Track piano = new Track("PIANO", Role.PIANO, 0, 1, List.of(new Note(60, 70, 0, Q), new Note(60, 70, 4 * Q, Q)));
        Track drums = new Track("DRUMS", Role.DRUMS, 0, Track.DRUM_CHANNEL, List.of(new Note(36, 100, 4 * Q, Q)));
        Score given = Score.of(List.of(MELODY, piano, drums)).withKeys(List.of(KeySignature.parse(0, "C:maj")));
        MetricGrid grid = MetricGrid.over(given.meter(), given.endTick());
        KeyFinder.Decision fromFile = new KeyFinder.Decision(KeySignature.parse(0, "C:maj"), true, "kept");
        Score arranged = Assembler.assemble(given, grid, BarPlan.forInput(given, grid, new BarRange(2, 2)),
                Map.of(Role.PIANO, List.of(new Note(64, 70, 4 * Q, Q))), CHORDS, fromFile, Style.LIED);

        assertEquals(List.of(new Note(60, 70, 0, Q), new Note(64, 70, 4 * Q, Q)), arranged.tracks(Role.PIANO).get(0).notes());
        assertEquals(List.of(drums), arranged.tracks(Role.DRUMS), "only accompaniment is regenerated");
        assertEquals(3, arranged.tracks().size(), "no bass or counter-melody without notes");
        assertEquals(given.keys(), arranged.keys(), "the file's key when it fits");
    }
}
