package dev.merlai.arranger.texture;

import dev.merlai.arranger.ArrangeOptions;
import dev.merlai.arranger.BarRange;
import dev.merlai.arranger.Examples;
import dev.merlai.arranger.grid.MetricGrid;
import dev.merlai.arranger.model.ArrangementModels;
import dev.merlai.arranger.model.MelodyFeatures;
import dev.merlai.arranger.roll.Part;
import dev.merlai.arranger.roll.PianoRoll;
import dev.merlai.arranger.roll.StepNote;
import dev.merlai.music.Chord;
import dev.merlai.music.ChordSpan;
import dev.merlai.music.Note;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.Track;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

/** The texture stage on the shipped texture model, over Ode to Joy (16 bars of 4/4) with a chord per bar. */
class TextureWriterTest {

    private static final int Q = Score.TICKS_PER_QUARTER;
    private static ArrangementModels models;
    private static TextureWriter writer;
    private static Score odeToJoy;
    private static MetricGrid grid;
    private static MelodyFeatures melody;
    private static List<ChordSpan> chords;

    @BeforeAll
    static void loadModels() throws Exception {
        models = ArrangementModels.loadShipped(2);
        writer = new TextureWriter(models);
        odeToJoy = Examples.odeToJoy();
        grid = MetricGrid.over(odeToJoy.meter(), odeToJoy.endTick());
        melody = MelodyFeatures.of(odeToJoy.melody().orElseThrow().notes(), grid, models.textureMetadata().styleIndex("pop"));
        chords = new ArrayList<>();
        String[] progression = {"C:maj", "G:maj", "C:maj", "G:maj"};
        for (int bar = 0; bar < grid.bars().size(); bar++) chords.add(new ChordSpan(bar * 4L * Q, 4 * Q, Chord.parse(progression[bar % 4])));
    }

    @AfterAll
    static void closeModels() {
        models.close();
    }

    @Test
    void writesEveryOpenBarAndTheSameSeedWritesTheSameRoll() throws Exception {
        BarPlan plan = BarPlan.forInput(odeToJoy, grid, null);
        PianoRoll roll = writer.write(odeToJoy, grid, melody, chords, plan, ArrangeOptions.DEFAULT, 11);
        for (int bar = 0; bar < grid.bars().size(); bar++) assertFalse(notesIn(roll, bar).isEmpty(), "bar index " + bar);
        assertEquals(allNotes(roll), allNotes(writer.write(odeToJoy, grid, melody, chords, plan, ArrangeOptions.DEFAULT, 11)));
        assertNotEquals(allNotes(roll), allNotes(writer.write(odeToJoy, grid, melody, chords, plan, ArrangeOptions.DEFAULT, 12)));
    }

    @Test
    void keptBarsHoldTheGivenAccompanimentNoteForNote() throws Exception {
        Track piano = new Track("PIANO", Role.PIANO, 0, 1, List.of(new Note(48, 70, 0, 4 * Q), new Note(64, 70, 2 * Q, Q)));
        Score given = odeToJoy.withTracks(List.of(odeToJoy.melody().orElseThrow(), piano));
        BarPlan plan = BarPlan.forInput(given, grid, new BarRange(2, 16));
        PianoRoll roll = writer.write(given, grid, melody, chords, plan, ArrangeOptions.DEFAULT, 11);
        assertEquals(List.of(new StepNote(48, 0, 16), new StepNote(64, 8, 12)), roll.notes(Part.PIANO, t -> grid.barIndex(t) == 0));
        assertEquals(List.of(), roll.notes(Part.COUNTER_MELODY, t -> grid.barIndex(t) == 0));
        assertFalse(notesIn(roll, 1).isEmpty());
    }

    @Test
    void aCopyingBarRepeatsItsSourceNoteForNote() throws Exception {
        BarPlan plan = BarPlan.forInput(odeToJoy, grid, null).withCopy(12, 4).withCopy(13, 12);
        PianoRoll roll = writer.write(odeToJoy, grid, melody, chords, plan, ArrangeOptions.DEFAULT, 11);
        List<StepNote> source = shifted(notesIn(roll, 4), grid.firstStepOfBar(12) - grid.firstStepOfBar(4));
        assertFalse(source.isEmpty());
        assertEquals(source, notesIn(roll, 12));
        assertEquals(shifted(source, grid.firstStepOfBar(13) - grid.firstStepOfBar(12)), notesIn(roll, 13), "a copy of a copy");
    }

    /** Each part's notes starting in the bar, cut at the bar's end (a note held over the bar line ends there). */
    private static List<StepNote> notesIn(PianoRoll roll, int bar) {
        int end = grid.endStepOfBar(bar);
        List<StepNote> notes = new ArrayList<>();
        for (Part part : Part.values()) {
            for (StepNote note : roll.notes(part, t -> grid.barIndex(t) == bar)) {
                notes.add(new StepNote(note.pitch() + 1000 * part.ordinal(), note.firstStep(), Math.min(end, note.endStep())));
            }
        }
        return notes;
    }

    private static List<StepNote> allNotes(PianoRoll roll) {
        List<StepNote> notes = new ArrayList<>();
        for (int bar = 0; bar < grid.bars().size(); bar++) notes.addAll(notesIn(roll, bar));
        return notes;
    }

    private static List<StepNote> shifted(List<StepNote> notes, int steps) {
        return notes.stream().map(n -> new StepNote(n.pitch(), n.firstStep() + steps, n.endStep() + steps)).toList();
    }
}
