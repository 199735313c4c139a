package dev.merlai.arranger.live;

import dev.merlai.arranger.ArrangeOptions;
import dev.merlai.arranger.Arranger;
import dev.merlai.arranger.Examples;
import dev.merlai.arranger.model.ArrangementModels;
import dev.merlai.music.Chord;
import dev.merlai.music.ChordSpan;
import dev.merlai.music.Note;
import dev.merlai.music.Score;
import dev.merlai.music.Track;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LiveEngineTest {

    private static final long BEAT = Score.TICKS_PER_QUARTER;
    private static final long BAR = 4 * BEAT;
    private static ArrangementModels models;
    private static Arranger arranger;
    private static List<Note> melody;
    private static Score song;

    @BeforeAll
    static void loadModels() throws Exception {
        models = ArrangementModels.loadShipped(2);
        arranger = new Arranger(models);
        song = Examples.odeToJoy();
        melody = song.melody().orElseThrow().notes();
    }

    @AfterAll
    static void closeModels() {
        models.close();
    }

    private static LiveEngine engine() {
        return new LiveEngine(arranger, LiveSettings.of(120, song.meter(), ArrangeOptions.DEFAULT));
    }

    /** A session committing only one 16th ahead: it plans again on the 16th before each beat. */
    private static LiveEngine engineOneSixteenthAhead() {
        return new LiveEngine(arranger, new LiveSettings(120, song.meter(), ArrangeOptions.DEFAULT, BEAT / 4, LiveSettings.DEFAULT_CONTEXT_BARS));
    }

    /** Plays the melody's events that happen before {@code until} as they come, advancing the clock every 16th. */
    private static List<LiveEvent> play(LiveEngine engine, long until) throws Exception {
        List<LiveEvent> sent = new ArrayList<>();
        for (long tick = 0; tick < until; tick += BEAT / 4) sent.addAll(playStep(engine, tick));
        return sent;
    }

    /** Plays the melody's events of the 16th from {@code tick} and advances the clock to it. */
    private static List<LiveEvent> playStep(LiveEngine engine, long tick) throws Exception {
        for (Note note : melody) {
            if (note.end() >= tick && note.end() < tick + BEAT / 4) engine.noteOff(note.end(), note.pitch());
            if (note.onset() >= tick && note.onset() < tick + BEAT / 4) engine.noteOn(note.onset(), note.pitch(), note.velocity());
        }
        return engine.advance(tick);
    }

    @Test
    void whatIsSentNeverDependsOnMelodyNotYetPlayed() throws Exception {
        sentDependsOnlyOnMelodyPlayed(engine(), engine());
    }

    @Test
    void withALookAheadOfOneSixteenthWhatIsSentStillNeverDependsOnMelodyNotYetPlayed() throws Exception {
        sentDependsOnlyOnMelodyPlayed(engineOneSixteenthAhead(), engineOneSixteenthAhead());
    }

    /** What {@code played} sends as the melody comes equals what {@code early} sends having been told all of it first. */
    private static void sentDependsOnlyOnMelodyPlayed(LiveEngine played, LiveEngine early) throws Exception {
        // from the second bar on, the engine also guesses the melody ahead from what it heard
        long until = 6 * BAR;
        List<LiveEvent> heardPrefix = play(played, until);

        for (Note note : melody) {
            early.noteOn(note.onset(), note.pitch(), note.velocity());
            early.noteOff(note.end(), note.pitch());
        }
        List<LiveEvent> heardEverything = new ArrayList<>();
        for (long tick = 0; tick < until; tick += BEAT / 4) heardEverything.addAll(early.advance(tick));

        assertFalse(heardPrefix.isEmpty());
        assertEquals(heardPrefix, heardEverything, "notes that start after now must not change what is sent");
    }

    @Test
    void whatWasSentIsNeverRevised() throws Exception {
        sentIsNeverRevised(engine());
    }

    @Test
    void withALookAheadOfOneSixteenthWhatWasSentIsStillNeverRevised() throws Exception {
        sentIsNeverRevised(engineOneSixteenthAhead());
    }

    private static void sentIsNeverRevised(LiveEngine engine) throws Exception {
        List<LiveEvent> firstPart = play(engine, 5 * BAR);
        List<LiveEvent> rest = new ArrayList<>();
        for (long tick = 5 * BAR; tick < 8 * BAR; tick += BEAT / 4) rest.addAll(engine.advance(tick));
        long lastSent = firstPart.stream().filter(event -> event.type() == LiveEvent.Type.ON).mapToLong(LiveEvent::tick).max().orElseThrow();
        assertTrue(rest.stream().filter(event -> event.type() != LiveEvent.Type.OFF).allMatch(event -> event.tick() > lastSent),
                "later calls only send notes and chords after what was already sent");
    }

    @Test
    void noNoteSoundsOnIntoAChordWithoutItsPitchClassAndHeldVoicesMoveToTheNewChord() throws Exception {
        LiveEngine engine = engineOneSixteenthAhead();
        List<LiveEvent> sent = play(engine, 8 * BAR);
        sent.addAll(engine.stop(8 * BAR));
        List<ChordSpan> chords = engine.chords();

        int movedOn = 0;
        for (int i = 0; i < sent.size(); i++) {
            LiveEvent on = sent.get(i);
            if (on.type() != LiveEvent.Type.ON || on.channel() == Track.DRUM_CHANNEL) continue;
            long end = sent.subList(i, sent.size()).stream().filter(off -> off.type() == LiveEvent.Type.OFF && off.channel() == on.channel()
                    && off.pitch() == on.pitch()).mapToLong(LiveEvent::tick).findFirst().orElseThrow();
            Chord atOnset = ChordSpan.at(chords, on.tick()).map(ChordSpan::chord).orElse(Chord.NONE);
            for (ChordSpan change : chords) {
                if (change.onset() <= on.tick() || change.onset() >= end || change.chord().isNone() || change.chord().equals(atOnset)) continue;
                assertTrue(change.chord().hasPitchClass(on.pitch() % 12),
                        "pitch " + on.pitch() + " from " + on.tick() + " still sounds at " + change.onset() + " under " + change.chord());
            }
            boolean startsOnAChange = chords.stream().anyMatch(span -> span.onset() == on.tick() && span.chord().hasPitchClass(on.pitch() % 12));
            boolean aNeighbourEndsThere = sent.stream().anyMatch(off -> off.type() == LiveEvent.Type.OFF && off.channel() == on.channel()
                    && off.tick() == on.tick() && Math.abs(off.pitch() - on.pitch()) <= 2);
            if (startsOnAChange && aNeighbourEndsThere) movedOn++;
        }
        assertTrue(movedOn > 0, "some held voices step to a tone of the new chord");
    }

    @Test
    void playsChordsBassPianoAndPopDrumsAhead() throws Exception {
        List<LiveEvent> sent = play(engine(), 8 * BAR);
        assertTrue(sent.stream().anyMatch(event -> event.type() == LiveEvent.Type.CHORD));
        assertTrue(sent.stream().anyMatch(event -> event.type() == LiveEvent.Type.ON && event.channel() == Track.DRUM_CHANNEL), "pop plays drums");
        assertTrue(sent.stream().filter(event -> event.type() == LiveEvent.Type.ON).map(LiveEvent::channel).distinct().count() >= 3,
                "bass, piano and drums");
    }

    @Test
    void theAccompanimentPlaysOnThroughARestLongerThanTheBarsItHears() throws Exception {
        // two bars of melody, then an interlude twice as long as the context the engine hears
        LiveEngine engine = engine();
        List<LiveEvent> sent = new ArrayList<>(play(engine, 2 * BAR));
        for (Note note : melody) if (note.onset() < 2 * BAR && note.end() >= 2 * BAR) engine.noteOff(2 * BAR, note.pitch());
        long interludeEnd = 2 * BAR + 2L * LiveSettings.DEFAULT_CONTEXT_BARS * BAR;
        for (long tick = 2 * BAR; tick < interludeEnd; tick += BEAT / 4) sent.addAll(engine.advance(tick));

        long lastContextBar = 2 * BAR + LiveSettings.DEFAULT_CONTEXT_BARS * BAR;
        for (long bar = lastContextBar; bar < interludeEnd - BAR; bar += BAR) {
            long start = bar;
            assertTrue(sent.stream().anyMatch(event -> event.type() == LiveEvent.Type.ON && event.channel() != Track.DRUM_CHANNEL
                    && event.tick() >= start && event.tick() < start + BAR), "the piano or bass plays in the bar at tick " + start);
        }
        assertTrue(engine.chords().stream().anyMatch(span -> span.onset() <= lastContextBar + BAR && span.end() > lastContextBar + BAR),
                "a chord sounds past the bars the engine hears");
    }

    @Test
    void everyNoteOnGetsItsNoteOffAlsoWhenStoppedMidBar() throws Exception {
        LiveEngine engine = engine();
        long stopAt = 5 * BAR + BEAT + BEAT / 2;
        List<LiveEvent> sent = play(engine, stopAt);
        sent.addAll(engine.stop(stopAt));
        assertTrue(engine.advance(stopAt + BAR).isEmpty(), "nothing is sent after stop");

        Map<String, Integer> sounding = new HashMap<>();
        for (LiveEvent event : sent) {
            String key = event.channel() + "/" + event.pitch();
            if (event.type() == LiveEvent.Type.ON) sounding.merge(key, 1, Integer::sum);
            if (event.type() == LiveEvent.Type.OFF) sounding.merge(key, -1, Integer::sum);
        }
        assertTrue(sounding.values().stream().allMatch(count -> count == 0), "notes left sounding: " + sounding);
    }

    @Test
    void stopReleasesTheNotesWhereWhatWasSentEndsSoNoOffIsDueBeforeTheClientHasIt() throws Exception {
        LiveEngine engine = engine();
        long stopAt = 5 * BAR + BEAT + BEAT / 2;
        play(engine, stopAt + BEAT / 4);

        List<LiveEvent> offs = engine.stop(stopAt);

        assertFalse(offs.isEmpty(), "notes were sounding");
        assertTrue(offs.stream().allMatch(off -> off.type() == LiveEvent.Type.OFF && off.tick() == stopAt + BEAT),
                "the last clock step (at stopAt) sent everything up to one beat later: " + offs);
    }

    @Test
    void whileTheNextPlanIsComputedElsewhereCommitsGoOnFromThePreviousOneAndNothingSentIsRevised() throws Exception {
        LiveEngine engine = engine();
        List<LiveEvent> before = play(engine, 4 * BAR);
        LiveEngine.Plan next = engine.planDue(4 * BAR);
        assertNotNull(next, "the look-ahead reached a new beat");

        List<LiveEvent> meanwhile = new ArrayList<>();
        for (long tick = 4 * BAR; tick < 5 * BAR; tick += BEAT / 4) meanwhile.addAll(engine.commit(tick));
        next.compute();
        engine.adopt(next);
        List<LiveEvent> after = engine.commit(5 * BAR);

        assertTrue(meanwhile.stream().anyMatch(event -> event.type() == LiveEvent.Type.ON), "the previous plan reaches past the next beat");
        long lastSent = meanwhile.stream().filter(event -> event.type() != LiveEvent.Type.OFF).mapToLong(LiveEvent::tick).max().orElseThrow();
        assertTrue(after.stream().filter(event -> event.type() != LiveEvent.Type.OFF).allMatch(event -> event.tick() > lastSent),
                "the plan taken late only sends what comes after what was sent meanwhile");
        assertFalse(before.isEmpty());
    }
}
