package dev.merlai.arranger.live;

import dev.merlai.arranger.grid.MelodySteps;
import dev.merlai.arranger.grid.MetricGrid;
import dev.merlai.music.MeterMap;
import dev.merlai.music.Note;

import java.util.ArrayList;
import java.util.List;

/**
 * A guess of the melody about to be played, from the melody heard so far alone. The chord model is bidirectional:
 * silence ahead reads to it as the song's end, and it answers with the tonic. Pop melodies repeat, so the guess is
 * what followed the earlier passage most like the bars just heard (whole bars earlier, so that the bar lines agree);
 * before there is one, the bars just heard played again.
 */
final class RepeatedMelody {

    /** Bars just heard that are compared with the earlier passages. */
    static final int MATCH_BARS = 2;

    private static final long STEP = MetricGrid.STEP_TICKS;

    private RepeatedMelody() {
    }

    /**
     * The notes expected in [{@code now}, {@code until}): those that followed the earlier passage whose highest pitch
     * (or rest) agrees with the last {@link #MATCH_BARS} bars on the most 16th steps (the most recent on a tie), moved
     * to now.
     *
     * @param heard the melody heard before {@code now} (a held note cut off at now)
     * @param meter passages are whole bars (of the time signature at {@code now}) apart
     */
    static List<Note> after(List<Note> heard, long now, long until, MeterMap meter) {
        if (heard.isEmpty() || until <= now) return List.of();
        long barTicks = meter.timeSignatureAt(now).barTicks();
        int nowStep = (int) (now / STEP);
        int barSteps = (int) (barTicks / STEP);
        int matched = MATCH_BARS * barSteps;
        // the continuation [now - shift, until - shift) must have been heard
        int shortest = barSteps * (int) Math.ceil((double) (until - now) / barTicks);
        if (nowStep < shortest) return List.of();
        long[] pitch = MelodySteps.of(heard, nowStep, tick -> (int) Math.min(nowStep - 1, tick / STEP), tick -> (int) ((tick + STEP - 1) / STEP)).pitch();

        int bestShift = shortest;
        int best = -1;
        for (int shift = shortest; nowStep - shift - matched >= 0; shift += barSteps) {
            int agree = 0;
            for (int t = nowStep - matched; t < nowStep; t++) if (pitch[t] == pitch[t - shift]) agree++;
            if (agree > best) {
                best = agree;
                bestShift = shift;
            }
        }
        long shift = bestShift * STEP;
        List<Note> guess = new ArrayList<>();
        for (Note note : heard) {
            long onset = note.onset() + shift;
            if (onset >= now && onset < until) guess.add(new Note(note.pitch(), note.velocity(), onset, Math.min(note.end() + shift, until) - onset));
        }
        return guess;
    }
}
