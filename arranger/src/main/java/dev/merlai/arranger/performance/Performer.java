package dev.merlai.arranger.performance;

import dev.merlai.arranger.form.Section;
import dev.merlai.arranger.form.SongForm;
import dev.merlai.arranger.grid.ChordSteps;
import dev.merlai.arranger.grid.MetricGrid;
import dev.merlai.arranger.model.DynamicsModel;
import dev.merlai.arranger.roll.StepNote;
import dev.merlai.music.ChordSpan;
import dev.merlai.music.Note;
import dev.merlai.music.Role;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The performance stage: plays a generated part's notes from the grid, in ticks and with a velocity, as POP909's
 * players would. The {@link DynamicsModel} gives each note's velocity and micro-timing from its context (place in the
 * bar and phrase, pitch, chord tone, the notes struck with it, the bar's density), each bar with its own spread (some
 * even, some full of contrast, as a pianist plays them), which a single line (the bass, a counter-melody) plays exactly
 * however few its notes; the phrase then shapes the part:
 * softer where the melody rests and at a tune's first hearing, louder at each return, a crescendo through the bar
 * before a new section and an accent on its downbeat. {@code humanize} scales all of it: 0 plays every note on its
 * 16th at the part's even velocity. The melody is never played here (it is the user's).
 */
public final class Performer {

    /** The part's even velocity (humanize 0) and the level its learned deviations are added to. */
    static final int PIANO_VELOCITY = 64;
    static final int COUNTER_MELODY_VELOCITY = 70;
    /** Velocity added through the last bar before a new section, rising from 0 at its start. */
    static final double CRESCENDO = 8;
    /** Velocity added on the first downbeat of a section. */
    static final double SECTION_ACCENT = 6;
    /** Level of a section where the melody rests, of a tune's first hearing, and added per later hearing (up to the cap). */
    static final double RESTING_LEVEL = -6, FIRST_HEARING_LEVEL = -3, PER_HEARING = 3, MAX_LEVEL = 4;
    /**
     * The per-note draw's width against the model's (the train split's pianists' noise); chosen with
     * {@link #SONG_SPREAD_LOG_SD} and {@link #BAR_SPREAD_SCALE} (see there) on the tune part of the validation split, by
     * the lowest of the piano, bass and counter-melody's overlaps of per-bar velocity spread with the human piano's.
     */
    static final double CONTRAST = 1.2;
    /**
     * How much a song's contrast differs from another's: the log-sd of a factor on every part's per-note draw, drawn
     * once per song from its seed (a pianist plays one song evenly and the next full of contrast). The human piano's
     * per-bar spreads differ far more between songs than within one (sd of their log 0.48 between, 0.34 within, tune
     * part; {@code evaluation.dynamics.spread_variation}); without this draw Merlai's differed within songs instead (0.09
     * between, 0.48 within), and widening every bar's own spread to fit the pooled bars (0.58 within) would have played
     * each song as unevenly as all of them together.
     */
    static final double SONG_SPREAD_LOG_SD = 0.65;
    /**
     * The song's draw is kept within this many sds: no song is played wider or more evenly than POP909's pianists play
     * theirs. On the tune part their songs' mean per-bar spreads lie within 0.35 and 2.4 times the median song's (about
     * 1.5 of these sds either way); drawn without a limit, 3 of 42 songs came out at 28-31, where the widest human song
     * plays 17.7. With it (chosen on the tune part over 2.0), the lowest of the three overlaps is 0.85-0.88 on seeds 1-4.
     */
    static final double SONG_DRAW_LIMIT = 1.5;
    /**
     * The bar-to-bar variation of a bar's spread against the model's measure of it ({@code bar_spread_log_sd}, taken
     * over all the train bars, so it holds the songs' differences that {@link #SONG_SPREAD_LOG_SD} now draws). Chosen
     * with it and {@link #CONTRAST} among (song 0.5, 0.65) x (bar 0.5, 0.75) x (contrast 1.0, 1.2), seeds 1 and 2, by
     * the lowest of the three overlaps (0.74-0.76 before).
     */
    static final double BAR_SPREAD_SCALE = 0.75;
    /** The most a note moves off its 16th, in 16ths: well inside the step it is written on. */
    static final double MAX_OFFSET = 0.4;

    private final DynamicsModel model;
    private final MetricGrid grid;
    private final SongForm form;
    private final int[] chordPitchClasses;
    private final float[] melodyOnset;
    private final double humanize;
    private final long seed;
    /** This song's factor on the per-note draws (log-normal with a mean square of 1, {@link #SONG_SPREAD_LOG_SD}). */
    private final double songContrast;

    /**
     * @param chords      the song's chords (a note of one of them is a chord tone)
     * @param melodyOnset per step of the grid, 1 where a melody note starts
     * @param humanize    0..1, as {@link dev.merlai.arranger.ArrangeOptions#humanize()}
     */
    public Performer(DynamicsModel model, MetricGrid grid, SongForm form, List<ChordSpan> chords, float[] melodyOnset, double humanize, long seed) {
        this.model = model;
        this.grid = grid;
        this.form = form;
        this.chordPitchClasses = chordPitchClasses(grid, chords);
        this.melodyOnset = melodyOnset;
        this.humanize = humanize;
        this.seed = seed;
        // a stream apart from every player's (one per role)
        double songDraw = Math.max(-SONG_DRAW_LIMIT, Math.min(SONG_DRAW_LIMIT, random(seed, Role.values().length).nextGaussian()));
        this.songContrast = unitMeanSquare(SONG_SPREAD_LOG_SD, songDraw);
    }

    /**
     * The players, each with the parts it plays: the pianist plays the piano and the bass split off its part (the
     * dynamics model learned from whole piano parts, so it hears both hands' notes struck together, and a bar's level is
     * the same for both), the counter-melody is a player of its own.
     */
    private static final List<List<Role>> PLAYERS = List.of(List.of(Role.PIANO, Role.BASS), List.of(Role.COUNTER_MELODY));

    /**
     * Plays the parts ({@link Role#PIANO}, {@link Role#BASS}, {@link Role#COUNTER_MELODY}; a part not given has no
     * notes): each note from its first step's tick (a pickup's steps before the song start at tick 0, and so does a
     * note played early there) to the end of its last step; a note that ends before the song starts is dropped. Every
     * part but the piano is a single line.
     */
    public Map<Role, List<Note>> play(Map<Role, List<StepNote>> parts) {
        Map<Role, List<Note>> played = new EnumMap<>(Role.class);
        for (List<Role> player : PLAYERS) {
            List<PartNote> notes = new ArrayList<>();
            for (Role role : player) for (StepNote note : parts.getOrDefault(role, List.of())) notes.add(new PartNote(role, note));
            // key by key, then in time (the piano roll's order): a note's draws do not depend on the part it was split into
            notes.sort(Comparator.comparingInt((PartNote n) -> n.note().pitch()).thenComparingInt(n -> n.note().firstStep()));
            for (Role role : player) played.put(role, new ArrayList<>());
            play(player.get(0), notes, played);
        }
        return played;
    }

    /** A note of a player's and the part it belongs to. */
    private record PartNote(Role role, StepNote note) {
    }

    /** One player's notes, each added to its part's list; {@code player} (its first part) seeds its draws. */
    private void play(Role player, List<PartNote> notes, Map<Role, List<Note>> played) {
        if (humanize == 0) {
            for (PartNote note : notes) add(played.get(note.role()), note.note(), evenVelocity(note.role()), 0);
            return;
        }
        DynamicsModel.NoteParams params = model.predict(features(notes));
        SplittableRandom random = random(seed, player.ordinal());
        double[] barNoise = new double[grid.bars().size()], barSpread = new double[barNoise.length];
        double spreadSd = BAR_SPREAD_SCALE * model.barSpreadLogSd();
        for (int b = 0; b < barNoise.length; b++) {
            barNoise[b] = random.nextGaussian();
            barSpread[b] = unitMeanSquare(spreadSd, random.nextGaussian());
        }
        double within = Math.sqrt(model.withinBarShare()), across = Math.sqrt(1 - model.withinBarShare());
        double[] draws = new double[notes.size()];
        Map<Integer, Double> offsetAt = new HashMap<>();
        for (int i = 0; i < notes.size(); i++) {
            draws[i] = random.nextGaussian();
            // the notes struck together move together (the first one's draw): a chord stays a chord, its bass with it
            int first = i;
            offsetAt.computeIfAbsent(notes.get(i).note().firstStep(), step -> Math.max(-MAX_OFFSET, Math.min(MAX_OFFSET,
                    humanize * (params.offsetMean(first) + params.offsetStd(first) * random.nextGaussian()))));
        }
        evenOutLines(notes, draws);
        for (int i = 0; i < notes.size(); i++) {
            StepNote note = notes.get(i).note();
            int bar = grid.barIndex(note.firstStep());
            double deviation = params.velocityMean(i) + params.velocityStd(i) * (CONTRAST * songContrast * within * barSpread[bar] * draws[i] + across * barNoise[bar])
                    + phraseShape(note.firstStep());
            int velocity = (int) Math.round(Math.max(1, Math.min(127, evenVelocity(notes.get(i).role()) + humanize * deviation)));
            add(played.get(notes.get(i).role()), note, velocity, offsetAt.get(note.firstStep()));
        }
    }

    /** The random stream {@code stream} of a song's {@code seed}: one per player (its first part's ordinal), one per song. */
    private static SplittableRandom random(long seed, int stream) {
        return new SplittableRandom(seed * 31 + stream);
    }

    /**
     * A log-normal factor of log-sd {@code logSd} for the standard normal draw {@code z}, with a mean square of 1, so
     * that the spread it scales stays the model's on average.
     */
    private static double unitMeanSquare(double logSd, double z) {
        return Math.exp(logSd * z - logSd * logSd);
    }

    private static int evenVelocity(Role part) {
        return part == Role.COUNTER_MELODY ? COUNTER_MELODY_VELOCITY : PIANO_VELOCITY;
    }

    /**
     * Centres the per-note velocity draws of each bar of each single line (every part but the piano) and scales them
     * to a spread of exactly 1. A line plays two or three notes in most bars, and so few raw draws left many of those
     * bars near even by chance (a bass bar of two notes: 34% under a spread of 5 against the human piano's 16%), where
     * the bar's own spread asks for its contrast. The piano's chords, many notes a bar, keep their raw draws.
     */
    private void evenOutLines(List<PartNote> notes, double[] draws) {
        Map<Role, Map<Integer, List<Integer>>> lineInBar = new EnumMap<>(Role.class);
        for (int i = 0; i < notes.size(); i++) {
            Role part = notes.get(i).role();
            if (part == Role.PIANO) continue;
            lineInBar.computeIfAbsent(part, p -> new HashMap<>())
                    .computeIfAbsent(grid.barIndex(notes.get(i).note().firstStep()), b -> new ArrayList<>()).add(i);
        }
        for (Map<Integer, List<Integer>> line : lineInBar.values()) {
            for (List<Integer> bar : line.values()) {
                double mean = bar.stream().mapToDouble(i -> draws[i]).average().orElseThrow();
                double spread = Math.sqrt(bar.stream().mapToDouble(i -> (draws[i] - mean) * (draws[i] - mean)).average().orElseThrow());
                if (spread > 0) for (int i : bar) draws[i] = (draws[i] - mean) / spread;
            }
        }
    }

    private void add(List<Note> played, StepNote note, int velocity, double offsetSteps) {
        long end = grid.stepTick(note.endStep() - 1) + MetricGrid.STEP_TICKS;
        long onset = Math.max(0, grid.stepTick(note.firstStep()) + Math.round(offsetSteps * MetricGrid.STEP_TICKS));
        if (end - onset <= 0) return;
        played.add(new Note(note.pitch(), velocity, onset, end - onset));
    }

    /** The velocity the phrase adds at a step: the section's level, its downbeat accent, the crescendo into the next. */
    double phraseShape(int step) {
        int barIndex = grid.barIndex(step);
        Section section = sectionOf(barIndex);
        if (section == null) return 0;
        int number = grid.bars().get(barIndex).number();
        int hearing = form.occurrence()[barIndex];
        double shape = section.rest() ? RESTING_LEVEL : Math.min(MAX_LEVEL, FIRST_HEARING_LEVEL + PER_HEARING * Math.max(0, hearing - 1));
        int first = grid.firstStepOfBar(barIndex);
        if (number == section.firstBar() && step == first) shape += SECTION_ACCENT;
        boolean sectionFollows = number == section.lastBar() && barIndex + 1 < grid.bars().size() && sectionOf(barIndex + 1) != null;
        if (sectionFollows) shape += CRESCENDO * (step - first) / (double) (grid.endStepOfBar(barIndex) - first);
        return shape;
    }

    private Section sectionOf(int barIndex) {
        return form.sectionOf(grid.bars().get(barIndex).number());
    }

    /** Each note's {@link DynamicsModel#FEATURES} row, as the training data builds it. */
    private float[][] features(List<PartNote> notes) {
        Map<Integer, List<Integer>> pitchesAt = new HashMap<>();
        Map<Integer, Integer> onsetsInBar = new HashMap<>();
        for (PartNote partNote : notes) {
            StepNote note = partNote.note();
            pitchesAt.computeIfAbsent(note.firstStep(), s -> new ArrayList<>()).add(note.pitch());
            onsetsInBar.merge(grid.barIndex(note.firstStep()), 1, Integer::sum);
        }
        float[][] rows = new float[notes.size()][DynamicsModel.FEATURES.size()];
        for (int i = 0; i < notes.size(); i++) {
            StepNote note = notes.get(i).note();
            int step = note.firstStep(), barIndex = grid.barIndex(step);
            List<Integer> together = pitchesAt.get(step);
            float[] f = rows[i];
            int p = DynamicsModel.METRIC_POSITIONS;
            f[grid.metricPos(step) % p] = 1;
            f[p] = grid.barSteps(step) == 12 ? 1 : 0;
            f[p + 1] = (note.pitch() - 60) / 24f;
            f[p + 2] = (chordPitchClasses[step] >> (note.pitch() % 12) & 1) == 1 ? 1 : 0;
            f[p + 3] = (float) (Math.log1p(onsetsInBar.get(barIndex)) / 3);
            f[p + 4] = together.size() / 4f;
            f[p + 5] = note.pitch() == together.stream().mapToInt(Integer::intValue).max().orElseThrow() ? 1 : 0;
            f[p + 6] = note.pitch() == together.stream().mapToInt(Integer::intValue).min().orElseThrow() ? 1 : 0;
            f[p + 7] = (float) (Math.log1p(note.endStep() - step) / 3);
            f[p + 8] = step < melodyOnset.length && melodyOnset[step] > 0 ? 1 : 0;
            f[p + 9] = notes.get(i).role() == Role.COUNTER_MELODY ? 1 : 0;
            f[p + 10 + phraseBar(barIndex)] = 1;
        }
        return rows;
    }

    /** The bar's place in its section's 8-bar phrases (in the song's where no section holds it). */
    private int phraseBar(int barIndex) {
        Section section = sectionOf(barIndex);
        int number = grid.bars().get(barIndex).number();
        return Math.floorMod(section == null ? barIndex : number - section.firstBar(), DynamicsModel.PHRASE_BARS);
    }

    /** Per step, the pitch classes of the chord sounding there as a bit set (0 where none is). */
    private static int[] chordPitchClasses(MetricGrid grid, List<ChordSpan> chords) {
        int[] classes = new int[grid.steps()];
        ChordSteps.forEach(chords, grid, (step, chord) -> {
            int bits = 0;
            for (int pc : chord.pitchClasses()) bits |= 1 << pc;
            classes[step] = bits;
        });
        return classes;
    }
}
