package dev.merlai.arranger;

import dev.merlai.arranger.assembly.Assembler;
import dev.merlai.arranger.drums.DrumPlan;
import dev.merlai.arranger.drums.DrumRequest;
import dev.merlai.arranger.drums.Drummer;
import dev.merlai.arranger.grid.MeterInference;
import dev.merlai.arranger.grid.MetricGrid;
import dev.merlai.arranger.harmony.Harmonizer;
import dev.merlai.arranger.model.ArrangementModels;
import dev.merlai.arranger.model.MelodyFeatures;
import dev.merlai.arranger.performance.Performer;
import dev.merlai.arranger.roll.Part;
import dev.merlai.arranger.roll.PianoRoll;
import dev.merlai.arranger.texture.BarPlan;
import dev.merlai.arranger.texture.TextureWriter;
import dev.merlai.music.ChordSpan;
import dev.merlai.music.Note;
import dev.merlai.music.Role;
import dev.merlai.music.Score;
import dev.merlai.music.Track;
import dev.merlai.music.theory.KeyFinder;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Turns a melody into an arrangement with the trained models, in stages, each taking and handing on domain
 * types. <b>Meter</b> ({@link MeterInference}) keeps the file's bar lines or infers them and hands on the
 * {@link MetricGrid} of 16th steps. <b>Harmony</b> ({@link Harmonizer}) hands on a chord per beat as
 * {@link ChordSpan}s: the given chords, else the chord model's. <b>Form</b> hands on the {@link BarPlan}: which bars
 * are kept, written, or written as a copy of another bar (today: the bars asked for, else those without
 * accompaniment; intro and ending bars are grid bars without melody). <b>Texture</b> ({@link TextureWriter}) hands
 * on the {@link PianoRoll} of piano and counter-melody. <b>Performance</b> ({@link Performer}) plays each part's
 * notes into ticks and velocities. <b>Assembly</b> ({@link Assembler}) hands on the {@link Score}: the bass split
 * off the piano, channels, programs, the kept tracks and the key. <b>Drums</b> ({@link Drummer}) then add a drum
 * track on channel 10 where the options ask for one, the kick leaning towards the assembled bass. Thread-safe.
 */
public final class Arranger {

    private final ArrangementModels models;
    private final Harmonizer harmonizer;
    private final TextureWriter textureWriter;

    public Arranger(ArrangementModels models) {
        this.models = models;
        this.harmonizer = new Harmonizer(models);
        this.textureWriter = new TextureWriter(models);
    }

    public String modelVersion() {
        return models.version();
    }

    public Arrangement arrange(Score input, ArrangeOptions options) throws ArrangeException {
        long started = System.nanoTime();
        Track melody = input.melody().orElseThrow(() -> new ArrangeException("the input has no melody track"));
        if (melody.notes().isEmpty()) throw new ArrangeException("the melody track has no notes");

        MeterInference.Result meter = MeterInference.decide(input.meter(), melody.notes(), models::classifyBeats);
        Score score = input.withMeter(meter.meter());
        MetricGrid grid = MetricGrid.over(score.meter(), score.endTick());
        MelodyFeatures features = MelodyFeatures.of(melody.notes(), grid, models.textureMetadata().styleIndex(options.style().id()));
        KeyFinder.Decision key = KeyFinder.decide(score);

        BarPlan plan = BarPlan.forInput(score, grid, options.bars());
        List<ChordSpan> chords = harmonizer.harmonize(features, grid, score.chords());
        long seed = songSeed(options.seed(), melody.notes());
        PianoRoll roll = textureWriter.write(score, grid, features, chords, plan, options, seed);
        Map<Role, List<Note>> played = new EnumMap<>(Role.class);
        for (Part part : Part.values()) played.put(part.role(), Performer.play(part.role(), roll.notes(part, plan::writesStep), grid));
        Score arranged = withDrums(Assembler.assemble(score, grid, plan, played, chords, key, options.style()), grid, options, seed);

        long millis = (System.nanoTime() - started) / 1_000_000;
        return new Arrangement(arranged, meter.explanation(), key.explanation(), plan.describe(), models.version(), millis);
    }

    /** The arrangement with its drum track played where the options ask for drums (given drums are kept). */
    private Score withDrums(Score arranged, MetricGrid grid, ArrangeOptions options, long seed) {
        String style = options.drumStyle();
        if (style == null) return arranged;
        List<Track> given = arranged.tracks(Role.DRUMS);
        Track givenDrums = given.isEmpty() ? null : given.get(0);
        boolean[] bassOnsets = new boolean[grid.steps()];
        for (Track bass : arranged.tracks(Role.BASS)) for (Note note : bass.notes()) bassOnsets[grid.nearestStep(note.onset())] = true;
        Track track = new Drummer(models.drums()).play(new DrumRequest(grid, DrumPlan.placeholder(grid), style, arranged.tempo(), seed, bassOnsets,
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
