package dev.merlai.arranger.grid;

import dev.merlai.music.Bar;
import dev.merlai.music.MeterMap;
import dev.merlai.music.Note;
import dev.merlai.music.Score;
import dev.merlai.music.TimeSignature;

import java.util.List;

/**
 * Decides which bar lines the arrangement follows: the file's own, when they fit the melody, or bar lines
 * inferred from the melody itself. Performed MIDI (POP909 among it) starts its first beat at an arbitrary
 * tick and often says 1/4; a downbeat one beat off costs several points of chord accuracy.
 *
 * <p>The trained downbeat model ({@link BeatClassifier}) reads the melody on the 16th grid that most of its
 * onsets sit on and gives, per step, the log-probabilities of downbeat, beat and offbeat. A candidate meter's fit
 * is the mean log-probability of the classes its bar lines imply. Candidates: 4/4 and 3/4 with the first
 * downbeat on any step of the first bar; 3/4 pays {@link #OTHER_METRE_PRIOR}. The file's meter is kept when the
 * bars of at least 90% of the melody's notes span at least two quarters, at least 70% of the onsets sit within 20 ticks of its 16th grid, and its fit is
 * within {@link #KEEP_MARGIN} of the best candidate's.
 */
public final class MeterInference {

    /** What was decided, for the report. */
    public record Result(MeterMap meter, boolean inferred, String explanation) {
    }

    /** The trained downbeat model: per 16th step, log P(downbeat), log P(other beat), log P(between beats). */
    @FunctionalInterface
    public interface BeatClassifier {
        /**
         * @param melodyPitch highest melody pitch sounding in each step, 0 for a rest
         * @param melodyOnset 1 where a melody note starts in the step
         * @return [steps][3] log-probabilities
         */
        float[][] classify(long[] melodyPitch, float[] melodyOnset);
    }

    static final int DOWNBEAT = 0;
    static final int BEAT = 1;
    static final int OFFBEAT = 2;
    private static final long STEP = MetricGrid.STEP_TICKS;
    private static final long QUARTER = Score.TICKS_PER_QUARTER;
    private static final List<TimeSignature> CANDIDATE_METRES = List.of(new TimeSignature(0, 4, 4), new TimeSignature(0, 3, 4));
    /** In mean log-probability per step: a notated meter is only overruled when the melody clearly contradicts it. */
    static final double KEEP_MARGIN = 0.3;
    /** Charged to 3/4: most songs are in 4/4, and a 4/4 melody often fits 3/4 by chance over a few bars. */
    static final double OTHER_METRE_PRIOR = 0.02;

    private MeterInference() {
    }

    public static Result decide(MeterMap fileMeter, List<Note> melody, BeatClassifier classifier) {
        if (melody.isEmpty()) return new Result(fileMeter, false, "kept the file's meter (no melody to check it against)");
        double onGrid = fractionOnGrid(melody, 0);
        // pickups and short closing bars aside, the file's bars must span at least two quarters
        boolean longBars = melody.stream().filter(n -> fileMeter.barAt(n.onset()).timeSignature().barTicks() >= 2L * QUARTER).count()
                >= 0.9 * melody.size();

        long phase = bestSixteenthPhase(melody);
        long end = melody.stream().mapToLong(Note::end).max().orElse(0);
        int steps = (int) Math.max(1, (end - phase) / STEP + 1);
        float[][] classes = classify(melody, phase, steps, classifier);

        MeterMap best = null;
        double bestFit = Double.NEGATIVE_INFINITY;
        for (TimeSignature ts : CANDIDATE_METRES) {
            int barSteps = (int) (ts.barTicks() / STEP);
            for (int offset = 0; offset < barSteps; offset++) {
                double total = 0;
                for (int t = 0; t < steps; t++) {
                    int position = Math.floorMod(t - offset, barSteps);
                    total += classes[t][position == 0 ? DOWNBEAT : position % 4 == 0 ? BEAT : OFFBEAT];
                }
                double candidateFit = total / steps - (ts.numerator() == 4 ? 0 : OTHER_METRE_PRIOR);
                if (candidateFit > bestFit) {
                    bestFit = candidateFit;
                    best = new MeterMap(List.of(ts), (phase + offset * STEP) % ts.barTicks());
                }
            }
        }
        long filePhase = fileMeter.pickup() % STEP;
        double fileFit = fileFit(fileMeter, filePhase, filePhase == phase ? classes
                : classify(melody, filePhase, (int) Math.max(1, (end - filePhase) / STEP + 1), classifier));
        if (longBars && onGrid >= 0.7 && fileFit >= bestFit - KEEP_MARGIN) {
            return new Result(fileMeter, false, String.format("kept the file's meter %s (fit %.3f, best inferred %.3f, %.0f%% of onsets on its grid)",
                    describe(fileMeter), fileFit, bestFit, onGrid * 100));
        }
        String why = !longBars ? "most of its bars are shorter than two quarters" : onGrid < 0.7
                ? String.format("only %.0f%% of onsets sit on its 16th grid", onGrid * 100)
                : String.format("its fit %.3f is below the inferred %.3f", fileFit, bestFit);
        return new Result(best, true, String.format("inferred %s with the first downbeat at tick %d from the melody (file's meter %s ignored: %s)",
                describe(best), best.pickup(), describe(fileMeter), why));
    }

    /** The model's classes for the steps {@code phase + t * STEP}: the melody's highest pitch and its onsets per step. */
    private static float[][] classify(List<Note> melody, long phase, int steps, BeatClassifier classifier) {
        MelodySteps notes = MelodySteps.of(melody, steps, tick -> (int) Math.max(0, Math.min(steps - 1, Math.round((tick - phase) / (double) STEP))),
                tick -> (int) Math.min(steps, Math.round((tick - phase) / (double) STEP)));
        return classifier.classify(notes.pitch(), notes.onset());
    }

    /** The mean log-probability of the classes the file's own bar lines give the steps of its 16th grid. */
    private static double fileFit(MeterMap fileMeter, long phase, float[][] classes) {
        double total = 0;
        for (int t = 0; t < classes.length; t++) {
            long tick = phase + t * STEP;
            Bar bar = fileMeter.barAt(tick);
            long origin = bar.number() == 0 ? bar.end() - bar.timeSignature().barTicks() : bar.start();
            long position = tick - origin;
            total += classes[t][position == 0 ? DOWNBEAT : position % QUARTER == 0 ? BEAT : OFFBEAT];
        }
        return total / classes.length;
    }

    private static long bestSixteenthPhase(List<Note> melody) {
        long best = 0;
        double bestScore = -1;
        for (long phase = 0; phase < STEP; phase += 5) {
            double score = fractionOnGrid(melody, phase);
            if (score > bestScore + 1e-9) {
                bestScore = score;
                best = phase;
            }
        }
        return best;
    }

    private static double fractionOnGrid(List<Note> melody, long phase) {
        int on = 0;
        for (Note note : melody) {
            long offset = Math.floorMod(note.onset() - phase, STEP);
            if (Math.min(offset, STEP - offset) <= 20) on++;
        }
        return on / (double) melody.size();
    }

    private static String describe(MeterMap meter) {
        TimeSignature first = meter.changes().get(0);
        return first.numerator() + "/" + first.denominator() + (meter.changes().size() > 1 ? " (+" + (meter.changes().size() - 1) + " changes)" : "");
    }
}
