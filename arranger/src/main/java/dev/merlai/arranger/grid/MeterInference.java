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
 * <p>The fit of a candidate (metre, downbeat) is the mean log-likelihood ratio of the melody's onset
 * positions in the bar under the learned {@link MeterProfile} against a uniform position; notes off the 16th
 * grid (more than 30 ticks away) do not count; metres other than 4/4 pay {@link #OTHER_METRE_PRIOR}. Candidates:
 * every learned metre, every downbeat on the melody's
 * best 16th-note phase (searched in 5-tick steps). The file's meter is kept when its bars span at least two
 * quarters, at least 70% of the onsets sit within 20 ticks of its 16th grid, and, where a profile of its bar
 * length exists, its fit is within {@link #KEEP_MARGIN} of the best candidate's.
 */
public final class MeterInference {

    /** What was decided, for the report. */
    public record Result(MeterMap meter, boolean inferred, String explanation) {
    }

    private static final long STEP = MetricGrid.STEP_TICKS;
    /** In nats per note: a notated meter is only overruled when the melody clearly contradicts it. */
    static final double KEEP_MARGIN = 0.1;
    /**
     * In nats per note, charged to every metre but 4/4: most songs are in 4/4, and the other profiles, learned
     * from few songs, are peakier, so without it they win on chance alignments.
     */
    static final double OTHER_METRE_PRIOR = 0.35;

    private MeterInference() {
    }

    public static Result decide(MeterMap fileMeter, List<Note> melody, MeterProfile profile) {
        if (melody.isEmpty()) return new Result(fileMeter, false, "kept the file's meter (no melody to check it against)");
        double onGrid = fractionOnGrid(melody, 0);
        boolean longBars = fileMeter.changes().stream().allMatch(ts -> ts.barTicks() >= 2L * Score.TICKS_PER_QUARTER);

        long phase16 = bestSixteenthPhase(melody);
        MeterMap best = null;
        double bestFit = Double.NEGATIVE_INFINITY;
        for (MeterProfile.Metre metre : profile.metres()) {
            TimeSignature ts = new TimeSignature(0, metre.numerator(), metre.denominator());
            for (long downbeat = phase16; downbeat < phase16 + ts.barTicks(); downbeat += STEP) {
                double candidateFit = fit(metre, downbeat, melody, profile.longNoteQuarters()) - (metre.steps() == 16 ? 0 : OTHER_METRE_PRIOR);
                if (candidateFit > bestFit) {
                    bestFit = candidateFit;
                    best = new MeterMap(List.of(ts), downbeat % ts.barTicks());
                }
            }
        }
        TimeSignature fileSignature = fileMeter.changes().get(0);
        MeterProfile.Metre fileMetre = profile.withSteps((int) (fileSignature.barTicks() / STEP));
        double fileFit = fileMetre == null ? Double.NaN : fit(fileMetre, fileMeter.pickup(), melody, profile.longNoteQuarters());
        boolean fits = Double.isNaN(fileFit) || fileFit >= bestFit - KEEP_MARGIN;
        if (longBars && onGrid >= 0.7 && fits) {
            return new Result(fileMeter, false, String.format("kept the file's meter %s (fit %.2f, best inferred %.2f, %.0f%% of onsets on its grid)",
                    describe(fileMeter), fileFit, bestFit, onGrid * 100));
        }
        String why = !longBars ? "its bars are shorter than two quarters" : onGrid < 0.7
                ? String.format("only %.0f%% of onsets sit on its 16th grid", onGrid * 100)
                : String.format("its fit %.2f is below the inferred %.2f", fileFit, bestFit);
        return new Result(best, true, String.format("inferred %s with the first downbeat at tick %d from the melody (file's meter %s ignored: %s)",
                describe(best), best.pickup(), describe(fileMeter), why));
    }

    /** Mean log-likelihood ratio per on-grid note of the melody's onset positions, bars of {@code metre} from {@code downbeat}. */
    static double fit(MeterProfile.Metre metre, long downbeat, List<Note> melody, double longNoteQuarters) {
        long longNote = Math.round(longNoteQuarters * Score.TICKS_PER_QUARTER);
        double total = 0;
        int counted = 0;
        for (Note note : melody) {
            long offset = note.onset() - downbeat;
            long step = Math.round(offset / (double) STEP);
            if (Math.abs(offset - step * STEP) > 30) continue;
            int position = (int) Math.floorMod(step, (long) metre.steps());
            total += note.duration() >= longNote ? metre.longRatio()[position] : metre.shortRatio()[position];
            counted++;
        }
        return counted == 0 ? 0 : total / counted;
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
