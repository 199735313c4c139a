package dev.merlai.arranger;

import dev.merlai.arranger.assembly.Assembler;
import dev.merlai.arranger.assembly.BassSplit;
import dev.merlai.arranger.form.Ending;
import dev.merlai.arranger.form.FormAnalysis;
import dev.merlai.arranger.form.Intro;
import dev.merlai.arranger.form.Section;
import dev.merlai.arranger.form.SongForm;
import dev.merlai.arranger.grid.MelodySteps;
import dev.merlai.arranger.drums.DrumPlan;
import dev.merlai.arranger.drums.DrumRequest;
import dev.merlai.arranger.drums.Drummer;
import dev.merlai.arranger.grid.MeterInference;
import dev.merlai.arranger.grid.MetricGrid;
import dev.merlai.arranger.harmony.ChordLayer;
import dev.merlai.arranger.harmony.Harmonizer;
import dev.merlai.arranger.model.ArrangementModels;
import dev.merlai.arranger.model.TensorLayout;
import dev.merlai.arranger.model.MelodyFeatures;
import dev.merlai.arranger.performance.Performer;
import dev.merlai.arranger.roll.Part;
import dev.merlai.arranger.roll.PianoRoll;
import dev.merlai.arranger.texture.BarPlan;
import dev.merlai.arranger.texture.TextureWriter;
import dev.merlai.music.Bar;
import dev.merlai.music.ChordSpan;
import dev.merlai.music.Note;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.Track;
import dev.merlai.music.theory.KeyFinder;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Turns a melody into an arrangement with the trained models, in stages, each taking and handing on domain
 * types. <b>Meter</b> ({@link MeterInference}) keeps the file's bar lines or infers them and hands on the
 * {@link MetricGrid} of 16th steps. <b>Harmony</b> ({@link Harmonizer}) hands on a chord per beat as
 * {@link ChordSpan}s: the given chords where given, the chord model's elsewhere (a bar whose melody repeats an
 * earlier bar's with that bar's chords), and each phrase's alternatives. <b>Form</b> ({@link FormAnalysis}) hears the {@link SongForm} from the melody (sections, repeated
 * bars) and, with the {@link BarPlan} (which bars are kept or written), the intro (an asked-for one moves the song
 * later, {@link Intro}) and the {@link Ending} after the melody. <b>Texture</b> ({@link TextureWriter}) hands
 * on the {@link PianoRoll} of piano and counter-melody. <b>Performance</b> ({@link Performer}) plays each part's
 * notes into ticks and velocities, with the learned dynamics and micro-timing the phrase shapes. <b>Assembly</b> ({@link Assembler}) hands on the {@link Score}: the bass split
 * off the piano, channels, programs, the kept tracks and the key. <b>Drums</b> ({@link Drummer}) then add a drum
 * track on channel 10 where the options ask for one, the kick leaning towards the assembled bass. Thread-safe.
 */
public final class Arranger {

    private final ArrangementModels models;
    private final Harmonizer harmonizer;
    private final TextureWriter textureWriter;
    private final Drummer drummer;
    /** {@link #forLive()}'s arranger, once asked for; guarded by {@code this}. */
    private Arranger live;

    public Arranger(ArrangementModels models) {
        this.models = models;
        this.harmonizer = new Harmonizer(models);
        this.textureWriter = new TextureWriter(models);
        this.drummer = new Drummer(models.drums());
    }

    public String modelVersion() {
        return models.version();
    }

    /** The keys the accompaniment is written on (the texture model's pitch axis). */
    public TensorLayout keys() {
        return models.textureMetadata().layout();
    }

    /**
     * This arranger with the chord model for live sessions ({@link ArrangementModels#forLive()}): the one a
     * {@link dev.merlai.arranger.live.LiveEngine} plans with; this arranger itself when its models have none.
     */
    public synchronized Arranger forLive() {
        if (live == null) {
            ArrangementModels liveModels = models.forLive();
            live = liveModels == models ? this : new Arranger(liveModels);
        }
        return live;
    }

    public Arrangement arrange(Score input, ArrangeOptions options) throws ArrangeException {
        Track melody = melodyOf(input);
        return arrange(input, MeterInference.decide(input.meter(), melody.notes(), models::classifyBeats), options, input.endTick());
    }

    /**
     * Arranges in the score's own meter (not checked against the melody) over a grid reaching at least {@code until}:
     * the live engine's plan of the bars just ahead of the melody heard so far.
     */
    public Arrangement arrangeAhead(Score input, ArrangeOptions options, long until) throws ArrangeException {
        melodyOf(input);
        return arrange(input, new MeterInference.Result(input.meter(), false, "kept the given meter " + input.meter()), options, until);
    }

    private static Track melodyOf(Score input) throws ArrangeException {
        Track melody = input.melody().orElseThrow(() -> new ArrangeException("the input has no melody track"));
        if (melody.notes().isEmpty()) throw new ArrangeException("the melody track has no notes");
        return melody;
    }

    private Arrangement arrange(Score input, MeterInference.Result meter, ArrangeOptions options, long until) throws ArrangeException {
        long started = System.nanoTime();
        Intro.Moved moved = Intro.moveLater(input.withMeter(meter.meter()), options.intro());
        Score score = moved.score();
        Track melody = score.melody().orElseThrow();
        long melodyEnd = melody.notes().stream().mapToLong(Note::end).max().orElseThrow();
        Bar lastSungBar = score.meter().barAt(melodyEnd - 1);
        long gridEnd = options.ending() && options.bars() == null
                ? Math.max(score.endTick(), score.meter().bar(lastSungBar.number() + Ending.BARS).end()) : Math.max(score.endTick(), until);
        MetricGrid grid = MetricGrid.over(score.meter(), gridEnd);
        MelodyFeatures features = MelodyFeatures.of(melody.notes(), grid, models.textureMetadata().styleIndex(options.style().id()));
        SongForm form = FormAnalysis.of(grid, new MelodySteps(features.melodyPitch(), features.melodyOnset()));
        KeyFinder.Decision key = KeyFinder.decide(score);

        BarPlan plan = BarPlan.forInput(score, grid, options.bars());
        Ending ending = ending(grid, plan, lastSungBar, options, key);
        Harmonizer.Harmony harmony = harmonizer.harmonize(features, grid, score.chords(), options.chords(), options.reharmonize(), options.seed(), form);
        List<ChordSpan> chords = harmony.spans();
        if (ending != null) chords = ending.withCadence(chords);
        long seed = songSeed(options.seed(), melody.notes());
        PianoRoll roll = textureWriter.write(score, grid, features, chords, plan, options, seed, form, ending);
        BassSplit pianoAndBass = BassSplit.of(roll.notes(Part.PIANO, plan::writesStep));
        Performer performer = new Performer(models.dynamics(), grid, form, chords, features.melodyOnset(), options.humanize(), seed);
        Map<Role, List<Note>> played = performer.play(Map.of(Role.PIANO, pianoAndBass.piano(), Role.BASS, pianoAndBass.bass(),
                Role.COUNTER_MELODY, roll.notes(Part.COUNTER_MELODY, plan::writesStep)));
        Score arranged = withDrums(Assembler.assemble(score, grid, plan, played, chords, key, options.style()), grid, form, options, seed);

        long millis = (System.nanoTime() - started) / 1_000_000;
        return new Arrangement(arranged, meter.explanation(), key.explanation(), form.toString(), moved.ticks(),
                introInWords(form, plan, options.intro()), ending == null ? "none" : ending.toString(), plan.describe(), models.version(), millis,
                choicesBefore(ending, harmony.choices()));
    }

    /**
     * The ending in the song's last two bars, after the melody's last bar, where both are to be written (not when
     * the input already plays there, nor with {@code --bars}, nor with {@code --no-ending}); else null.
     */
    private static Ending ending(MetricGrid grid, BarPlan plan, Bar lastSungBar, ArrangeOptions options, KeyFinder.Decision key) {
        int last = grid.bars().size() - 1;
        if (!options.ending() || options.bars() != null || last < 1 || !plan.writes(last) || !plan.writes(last - 1)
                || grid.bars().get(last - 1).number() <= lastSungBar.number()) return null;
        return Ending.in(key.key(), grid.bars().get(last - 1), grid.bars().get(last));
    }

    /** The phrases' chord choices but those within the ending, whose chords are the cadence's, not a choice. */
    private static List<ChordLayer.PhraseChoices> choicesBefore(Ending ending, List<ChordLayer.PhraseChoices> choices) {
        if (ending == null) return choices;
        return choices.stream().filter(choice -> choice.bars().first() < ending.cadenceBar().number()).toList();
    }

    /** The intro for the report: the bars before the melody that were written, and whether the song moved. */
    private static String introInWords(SongForm form, BarPlan plan, int movedBars) {
        Section first = form.sections().get(0);
        if (!first.label().equals("intro") || !plan.writes(0)) return "none";
        String bars = "bars " + first.firstBar() + "-" + first.lastBar();
        return movedBars == 0 ? bars : bars + " (the melody moved " + movedBars + (movedBars == 1 ? " bar" : " bars") + " later)";
    }

    /** The arrangement with its drum track played where the options ask for drums (given drums are kept). */
    private Score withDrums(Score arranged, MetricGrid grid, SongForm form, ArrangeOptions options, long seed) {
        String style = options.drumStyle();
        if (style == null) return arranged;
        List<Track> given = arranged.tracks(Role.DRUMS);
        Track givenDrums = given.isEmpty() ? null : given.get(0);
        boolean[] bassOnsets = new boolean[grid.steps()];
        for (Track bass : arranged.tracks(Role.BASS)) for (Note note : bass.notes()) bassOnsets[grid.nearestStep(note.onset())] = true;
        Track track = drummer.play(new DrumRequest(grid, DrumPlan.of(grid, form), style, arranged.tempo(), seed, bassOnsets,
                Drummer.barsToPlay(grid, options.bars(), givenDrums), givenDrums));
        List<Track> tracks = new ArrayList<>(arranged.tracks());
        if (givenDrums == null) tracks.add(track);
        else tracks.set(tracks.indexOf(givenDrums), track);
        return arranged.withTracks(tracks);
    }

    /**
     * The user's seed mixed with the melody: the same melody and seed give the same arrangement, and one seed does
     * not give every song the same draws (one seed's shared draws and density plan would otherwise tilt all of its
     * arrangements alike: fewer onsets, a lower register, for every song at once).
     */
    static long songSeed(long seed, List<Note> melody) {
        long hash = 1125899906842597L;
        for (Note note : melody) hash = 31 * (31 * (31 * hash + note.onset()) + note.duration()) + note.pitch();
        return new SplittableRandom(seed ^ hash).nextLong();
    }
}
