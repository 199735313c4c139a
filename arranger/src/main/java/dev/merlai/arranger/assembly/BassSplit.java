package dev.merlai.arranger.assembly;

import dev.merlai.arranger.roll.StepNote;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The generated piano part split into the piano and its bass line, before either is played: the lowest note of each
 * onset becomes the bass when it is low enough. The texture model writes one piano part; the arrangement plays and
 * lists its lowest notes as a bass track of their own.
 *
 * @param piano the piano part without its bass notes, in the order given
 * @param bass  the bass notes, in the order given
 */
public record BassSplit(List<StepNote> piano, List<StepNote> bass) {

    /** Below this an onset's lowest note is the bass when other notes sound with it... */
    static final int BASS_BELOW = 52;
    /** ...and below this even alone. */
    static final int BASS_ALONE_BELOW = 48;

    public static BassSplit of(List<StepNote> pianoPart) {
        Map<Integer, int[]> lowestAndCount = new HashMap<>();
        for (StepNote note : pianoPart) {
            lowestAndCount.merge(note.firstStep(), new int[]{note.pitch(), 1}, (a, b) -> new int[]{Math.min(a[0], b[0]), a[1] + b[1]});
        }
        List<StepNote> piano = new ArrayList<>(), bass = new ArrayList<>();
        for (StepNote note : pianoPart) {
            int[] onset = lowestAndCount.get(note.firstStep());
            boolean bassNote = note.pitch() == onset[0] && onset[0] < BASS_BELOW && (onset[1] > 1 || onset[0] < BASS_ALONE_BELOW);
            (bassNote ? bass : piano).add(note);
        }
        return new BassSplit(List.copyOf(piano), List.copyOf(bass));
    }
}
