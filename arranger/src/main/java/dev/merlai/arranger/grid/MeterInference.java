package dev.merlai.arranger.grid;

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
 * <p>The fit of a meter is the duration-weighted metrical weight of the melody's onsets: an onset on a
 * downbeat weighs 1, on another quarter 0.5, on an eighth 0.2, elsewhere 0; each note counts
 * log2(1 + its length in 16ths), so long notes on strong beats decide. Candidates: 4/4 and 3/4 with every
 * 16th-note phase (in 5-tick steps) and every downbeat phase. The file's meter is kept when its bars span at
 * least two quarters, at least 70% of the onsets sit within 20 ticks of its 16th grid, and its fit is within
 * 0.03 of the best candidate's.
 */
public final class MeterInference {

    /** What was decided, for the report. */
    public record Result(MeterMap meter, boolean inferred, String explanation) {
    }

    private static final long STEP = MetricGrid.STEP_TICKS;
    private static final double KEEP_MARGIN = 0.03;

    private MeterInference() {
    }

    public static Result decide(MeterMap fileMeter, List<Note> melody) {
        if (melody.isEmpty()) return new Result(fileMeter, false, "kept the file's meter (no melody to check it against)");
        double fileFit = fit(fileMeter, melody);
        double onGrid = fractionOnGrid(melody, 0);
        boolean longBars = fileMeter.changes().stream().allMatch(ts -> ts.barTicks() >= 2L * Score.TICKS_PER_QUARTER);

        MeterMap best = null;
        double bestFit = Double.NEGATIVE_INFINITY;
        long phase16 = bestSixteenthPhase(melody);
        for (int[] signature : new int[][]{{4, 4}, {3, 4}}) {
            TimeSignature ts = new TimeSignature(0, signature[0], signature[1]);
            for (long downbeat = phase16; downbeat < phase16 + ts.barTicks(); downbeat += STEP) {
                long pickup = downbeat % ts.barTicks();
                MeterMap candidate = new MeterMap(List.of(ts), pickup);
                double candidateFit = fit(candidate, melody) - (signature[0] == 3 ? 0.02 : 0); // prefer 4/4 on a tie
                if (candidateFit > bestFit) {
                    bestFit = candidateFit;
                    best = candidate;
                }
            }
        }
        if (longBars && onGrid >= 0.7 && fileFit >= bestFit - KEEP_MARGIN) {
            return new Result(fileMeter, false, String.format("kept the file's meter %s (fit %.2f, best inferred %.2f, %.0f%% of onsets on its grid)",
                    describe(fileMeter), fileFit, bestFit, onGrid * 100));
        }
        String why = !longBars ? "its bars are shorter than two quarters" : onGrid < 0.7
                ? String.format("only %.0f%% of onsets sit on its 16th grid", onGrid * 100)
                : String.format("its fit %.2f is below the inferred %.2f", fileFit, bestFit);
        return new Result(best, true, String.format("inferred %s with the first downbeat at tick %d from the melody (file's meter %s ignored: %s)",
                describe(best), best.pickup(), describe(fileMeter), why));
    }

    /** Mean metrical weight of the melody's onsets under a meter, weighted by note length. */
    static double fit(MeterMap meter, List<Note> melody) {
        double total = 0, weights = 0;
        for (Note note : melody) {
            double weight = Math.log(1 + note.duration() / (double) STEP) / Math.log(2);
            var position = meter.position(note.onset());
            long intoBar = position.beat() * meter.timeSignatureAt(note.onset()).beatTicks() + position.sixteenth() * STEP + position.remainder();
            TimeSignature ts = meter.timeSignatureAt(note.onset());
            boolean offGrid = position.remainder() > 20 && STEP - position.remainder() > 20;
            long barSteps = Math.max(1, ts.barTicks() / STEP);
            long step = Math.round(intoBar / (double) STEP);
            double metrical = offGrid ? 0 : step % barSteps == 0 ? 1.0 : step % 4 == 0 ? 0.5 : step % 2 == 0 ? 0.2 : 0;
            total += metrical * weight;
            weights += weight;
        }
        return weights == 0 ? 0 : total / weights;
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
