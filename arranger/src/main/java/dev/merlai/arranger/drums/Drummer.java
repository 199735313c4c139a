package dev.merlai.arranger.drums;

import dev.merlai.arranger.BarRange;
import dev.merlai.arranger.grid.MetricGrid;
import dev.merlai.arranger.model.DrumModel;
import dev.merlai.arranger.model.DrumSampling;
import dev.merlai.arranger.model.Sampling;
import dev.merlai.music.Bar;
import dev.merlai.music.Note;
import dev.merlai.music.Role;
import dev.merlai.music.Track;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * The drum stage: plays a drum track (General MIDI kit, channel 10) bar by bar with the drum model. Each bar's hits
 * are drawn from the model's odds given the bar before, then each hit's velocity and micro-timing from the model's
 * Gaussians, played by the song's drummer (a level, a looseness and a contrast drawn once per song, as GMD's performances
 * differ). A drummer's hits depend on each other: the groove bars of a section share part of each cell's draw (the
 * section's figure, repeated with small variations), and a bar's ghost snares share part of theirs (all or none), as do
 * its hi-hat's and its ride's passing notes, each cell keeping the model's odds.
 * A fill bar is asked for where the plan says so; a section's downbeat gets a crash when the model did
 * not play one. Bars are seeded one by one, so regenerating some bars leaves the draws of the others alone.
 */
public final class Drummer {

    /**
     * Added to the kick's logit where the bass starts a note: the drum data has no bass to learn this from, and a
     * kick with the bass locks the rhythm section (e^0.8 = 2.2 times the odds).
     */
    static final double KICK_WITH_BASS = 0.8;
    /** The crash a section's downbeat gets when the model played none, at least this loud (0..1). */
    static final double CRASH_VELOCITY = 0.6;
    /** Timing offsets stay within this share of a 16th, so a hit never moves to a neighbouring step. */
    static final double MAX_OFFSET = 0.45;
    /**
     * A fill bar is drawn this many times and the draw with the most tom and snare hits in its second half is played:
     * one draw from the fill odds sounds like a fill only about two times in three (the model's fill odds are a
     * blend of GMD's fills, many of which keep grooving), and a section end without an audible fill sounds unplanned.
     */
    static final int FILL_DRAWS = 4;
    /** Mixed into a section's seed for its groove draws, so they differ from the draws of its first bar. */
    private static final long GROOVE_SEED = 0x9E3779B97F4A7C15L;
    private static final int KICK = 0;
    private static final int SNARE = 1;
    private static final int CLOSED_HIHAT = 2;
    private static final int LOW_TOM = 4;
    private static final int HIGH_TOM = 6;
    private static final int CRASH = 7;
    private static final int RIDE = 8;
    private static final int S = DrumModel.STEPS;
    private static final int K = DrumModel.INSTRUMENTS;

    private final DrumModel model;

    public Drummer(DrumModel model) {
        this.model = model;
    }

    /** The bars to play: those in {@code range} when given, else every bar where {@code given} has no drums. */
    public static boolean[] barsToPlay(MetricGrid grid, BarRange range, Track given) {
        List<Bar> bars = grid.bars();
        boolean[] play = new boolean[bars.size()];
        boolean[] givenPlays = new boolean[bars.size()];
        if (given != null) for (Note note : given.notes()) givenPlays[barOf(grid, note)] = true;
        for (int b = 0; b < bars.size(); b++) play[b] = range != null ? range.contains(bars.get(b).number()) : !givenPlays[b];
        return play;
    }

    /**
     * The bar (index in the grid) a drum hit belongs to: the one of its nearest 16th step, so a hit played a little
     * ahead of a bar line (the drummer's feel) is that bar's downbeat, kept or replaced with it.
     */
    public static int barOf(MetricGrid grid, Note note) {
        return grid.barIndex(grid.nearestStep(note.onset()));
    }

    /** The drum track: the given one's notes in the bars not played, plus the new bars. */
    public Track play(DrumRequest request) {
        MetricGrid grid = request.grid();
        int style = model.styleIndex(request.style());
        List<List<Note>> givenByBar = notesByBar(grid, request.given());
        List<Note> notes = new ArrayList<>();
        for (int b = 0; b < givenByBar.size(); b++) if (!request.play()[b]) notes.addAll(givenByBar.get(b));
        float[] previousHits = new float[S * K];
        float[] previousVelocity = new float[S * K];
        SongDrummer drummer = drummer(request.seed());
        int grooveStart = 0;   // the bar whose section's groove the bar plays
        try (DrumModel.Session session = model.session()) {
            for (int b = 0; b < grid.bars().size(); b++) {
                if (request.plan().bars().get(b).crash()) grooveStart = b;
                int first = grid.firstStepOfBar(b);
                int length = grid.endStepOfBar(b) - first;
                float[] hits = new float[S * K];
                float[] velocity = new float[S * K];
                if (!request.play()[b]) {
                    givenBar(givenByBar.get(b), grid, b, hits, velocity);
                } else if (length == grid.barSteps(first)) {   // a pickup is left to the melody
                    DrumPlan.BarPlan plan = request.plan().bars().get(b);
                    Bar bar = grid.bars().get(b);
                    float tempo = (float) (Math.log(request.tempo().changeAt(Math.max(0, bar.start())).bpm() / 120) / Math.log(2));
                    DrumModel.BarOdds odds = session.predict(new DrumModel.BarInput(previousHits, previousVelocity, style,
                            meter(bar, length), tempo, plan.fill(), model.energy(request.style(), plan.energy())));
                    SplittableRandom random = new SplittableRandom(request.seed() * 1_000_003L + b);
                    double[] groove = grooveDraws(request.seed(), grooveStart);
                    DrawnBar drawn = sampleBar(request, drummer, odds, plan, first, length, groove, random);
                    for (int draw = 1; plan.fill() && draw < FILL_DRAWS; draw++) {
                        DrawnBar other = sampleBar(request, drummer, odds, plan, first, length, groove, random);
                        if (other.fillHits(length) > drawn.fillHits(length)) drawn = other;
                    }
                    notes.addAll(drawn.notes());
                    hits = drawn.hits();
                    velocity = drawn.velocity();
                }
                previousHits = hits;
                previousVelocity = velocity;
            }
        }
        if (request.given() != null) return request.given().withNotes(notes);
        return new Track(Role.DRUMS.trackName(), Role.DRUMS, 0, Track.DRUM_CHANNEL, notes);
    }

    /**
     * One draw of a bar: its notes, and its hits and velocities per step and instrument (the model's next input).
     */
    private record DrawnBar(List<Note> notes, float[] hits, float[] velocity) {

        /** Tom and snare hits in the bar's second half: how much the draw sounds like a fill. */
        int fillHits(int length) {
            int count = 0;
            for (int s = length / 2; s < Math.min(length, S); s++) {
                for (int k = 0; k < K; k++) if ((k == SNARE || k >= LOW_TOM && k <= HIGH_TOM) && hits[s * K + k] > 0) count++;
            }
            return count;
        }
    }

    /**
     * The song's drummer: a level added to every velocity (0..1), a factor on every timing offset, and one on each bar's
     * velocities about their mean.
     */
    private record SongDrummer(double level, double looseness, double contrast) {
    }

    /** Drawn from the seed alone, so regenerating some bars keeps the song's drummer. */
    private SongDrummer drummer(long seed) {
        SplittableRandom random = new SplittableRandom(seed * 1_000_003L - 1);
        DrumSampling sampling = model.sampling();
        double level = sampling.drummerLevelMean() + sampling.drummerLevelSd() * Sampling.gaussian(random);
        return new SongDrummer(level, logNormal(sampling.drummerTimingLogSd(), random),
                sampling.drummerContrastMean() * logNormal(sampling.drummerContrastLogSd(), random));
    }

    /** A factor whose log has the given sd and whose mean is 1. */
    private static double logNormal(double logSd, SplittableRandom random) {
        return Math.exp(logSd * Sampling.gaussian(random) - logSd * logSd / 2);
    }

    /** One standard normal draw per cell of the groove of the section that starts at bar {@code grooveStart}. */
    private static double[] grooveDraws(long seed, int grooveStart) {
        SplittableRandom random = new SplittableRandom((seed * 1_000_003L + grooveStart) ^ GROOVE_SEED);
        double[] draws = new double[S * K];
        for (int i = 0; i < draws.length; i++) draws[i] = Sampling.gaussian(random);
        return draws;
    }

    private DrawnBar sampleBar(DrumRequest request, SongDrummer drummer, DrumModel.BarOdds odds, DrumPlan.BarPlan plan, int first, int length,
                               double[] groove, SplittableRandom random) {
        MetricGrid grid = request.grid();
        List<Hit> drawn = new ArrayList<>();
        float[] hits = new float[S * K];
        float[] velocity = new float[S * K];
        DrumSampling sampling = model.sampling();
        double temperature = sampling.hitTemperature(plan.fill());
        // a fill is its own figure: its cells are drawn each on its own
        double grooveShare = plan.fill() ? 0 : sampling.grooveRepeat();
        double ghostShare = plan.fill() ? 0 : sampling.ghostCoupling();
        double handShare = plan.fill() ? 0 : sampling.handCoupling();
        double ghost = Sampling.gaussian(random);
        double hihatPassing = Sampling.gaussian(random);
        double ridePassing = Sampling.gaussian(random);
        for (int t = first; t < first + length; t++) {
            int s = (t - first) % S;
            for (int k = 0; k < K; k++) {
                double logit = (odds.hitLogit(s, k) + (k == KICK && request.bassOnsets()[t] ? KICK_WITH_BASS : 0)) / temperature;
                double odds01 = Sampling.sigmoid(logit);
                // a note less likely than not is a snare's ghost or a hand's passing note, played with the bar's others
                boolean passing = odds01 < 0.5;
                double barShare = !passing ? 0 : k == SNARE ? ghostShare : k == CLOSED_HIHAT || k == RIDE ? handShare : 0;
                double barDraw = k == SNARE ? ghost : k == RIDE ? ridePassing : hihatPassing;
                double z = Math.sqrt(barShare) * barDraw + Math.sqrt(grooveShare) * groove[s * K + k]
                        + Math.sqrt(1 - barShare - grooveShare) * Sampling.gaussian(random);   // one draw per cell
                boolean downbeatCrash = plan.crash() && t == first && k == CRASH;
                if (Sampling.normalCdf(z) >= odds01 && !downbeatCrash) continue;
                double v = odds.velocityMean(s, k) + sampling.velocityShift() + odds.velocityStd(s, k) * Sampling.gaussian(random);
                if (downbeatCrash) v = Math.max(v, CRASH_VELOCITY);
                double offset = Math.max(-MAX_OFFSET, Math.min(MAX_OFFSET,
                        drummer.looseness() * (odds.offsetMean(s, k) + odds.offsetStd(s, k) * Sampling.gaussian(random))));
                long onset = Math.max(0, grid.stepTick(t) + Math.round(offset * MetricGrid.STEP_TICKS));
                drawn.add(new Hit(model.note(k), v, onset));
                if (t - first < S) {
                    hits[s * K + k] = 1;
                    // the model hears its own playing: the drummer's level would compound bar after bar through its input
                    velocity[s * K + k] = midiVelocity(v) / 127f;
                }
            }
        }
        // the drummer's contrast spreads the bar's velocities about their mean, then its level moves them all
        double mean = drawn.stream().mapToDouble(Hit::velocity).average().orElse(0);
        // a hit sounds a 16th, but a late one on the last 16th of the song does not lengthen it
        long songEnd = grid.bars().get(grid.bars().size() - 1).end();
        List<Note> notes = new ArrayList<>(drawn.size());
        for (Hit hit : drawn) {
            int played = midiVelocity(mean + drummer.contrast() * (hit.velocity() - mean) + drummer.level());
            notes.add(new Note(hit.note(), played, hit.onset(), Math.min(MetricGrid.STEP_TICKS, songEnd - hit.onset())));
        }
        return new DrawnBar(notes, hits, velocity);
    }

    /** A drawn hit: its GM note, its velocity (0..1) as the model drew it, its onset. */
    private record Hit(int note, double velocity, long onset) {
    }

    /** The given drum notes of each bar (by {@link #barOf}), in their order; no notes where none are given. */
    private static List<List<Note>> notesByBar(MetricGrid grid, Track given) {
        List<List<Note>> byBar = new ArrayList<>();
        for (int b = 0; b < grid.bars().size(); b++) byBar.add(new ArrayList<>());
        if (given != null) for (Note note : given.notes()) byBar.get(barOf(grid, note)).add(note);
        return byBar;
    }

    /** A bar the drummer keeps (its given notes), as the model's input for the bar after it. */
    private void givenBar(List<Note> given, MetricGrid grid, int bar, float[] hits, float[] velocity) {
        for (Note note : given) {
            int k = model.instrumentOf(note.pitch());
            int s = grid.nearestStep(note.onset()) - grid.firstStepOfBar(bar);
            if (k < 0 || s >= S) continue;
            hits[s * K + k] = 1;
            velocity[s * K + k] = Math.max(velocity[s * K + k], note.velocity() / 127f);
        }
    }

    /** The model's meter: 6/8 by its signature, else by the bar's length (12 steps = 3/4; others play as 4/4). */
    private int meter(Bar bar, int length) {
        String name = bar.timeSignature().numerator() == 6 && bar.timeSignature().denominator() == 8 ? "6/8" : length == 12 ? "3/4" : "4/4";
        int index = model.meters().indexOf(name);
        return Math.max(0, index);
    }

    private static int midiVelocity(double velocity) {
        return (int) Math.max(1, Math.min(127, Math.round(velocity * 127)));
    }
}
