package dev.merlai.music.theory;

import dev.merlai.music.KeySignature;
import dev.merlai.music.Note;

import java.util.Collection;

/**
 * Estimates the key of some notes with the Krumhansl-Kessler profiles: the key whose profile correlates best
 * with the duration-weighted pitch-class histogram.
 */
public final class KeyFinder {

    private static final double[] MAJOR = {6.35, 2.23, 3.48, 2.33, 4.38, 4.09, 2.52, 5.19, 2.39, 3.66, 2.29, 2.88};
    private static final double[] MINOR = {6.33, 2.68, 3.52, 5.38, 2.60, 3.53, 2.54, 4.75, 3.98, 2.69, 3.34, 3.17};

    private KeyFinder() {
    }

    /** The most likely key of the notes, placed at tick 0; C major when there are no notes. */
    public static KeySignature estimate(Collection<Note> notes) {
        double[] histogram = new double[12];
        for (Note note : notes) histogram[note.pitch() % 12] += note.duration();
        double best = Double.NEGATIVE_INFINITY;
        KeySignature bestKey = new KeySignature(0, 0, KeySignature.Mode.MAJOR);
        for (int tonic = 0; tonic < 12; tonic++) {
            for (KeySignature.Mode mode : KeySignature.Mode.values()) {
                double r = correlation(histogram, mode == KeySignature.Mode.MAJOR ? MAJOR : MINOR, tonic);
                if (r > best) {
                    best = r;
                    bestKey = new KeySignature(0, tonic, mode);
                }
            }
        }
        return bestKey;
    }

    /** The pitch classes of the key's scale (natural minor for minor keys). */
    public static int[] scale(KeySignature key) {
        int[] steps = key.mode() == KeySignature.Mode.MAJOR ? new int[]{0, 2, 4, 5, 7, 9, 11} : new int[]{0, 2, 3, 5, 7, 8, 10};
        int[] scale = new int[7];
        for (int i = 0; i < 7; i++) scale[i] = (key.tonic() + steps[i]) % 12;
        return scale;
    }

    private static double correlation(double[] histogram, double[] profile, int tonic) {
        double meanH = 0, meanP = 0;
        for (int i = 0; i < 12; i++) {
            meanH += histogram[i] / 12;
            meanP += profile[i] / 12;
        }
        double num = 0, varH = 0, varP = 0;
        for (int i = 0; i < 12; i++) {
            double h = histogram[(i + tonic) % 12] - meanH;
            double p = profile[i] - meanP;
            num += h * p;
            varH += h * h;
            varP += p * p;
        }
        return varH == 0 ? 0 : num / Math.sqrt(varH * varP);
    }
}
