package dev.merlai.arranger.form;

/**
 * One section of a song's form, on Merlai's bar numbers.
 *
 * @param label         {@code A}, {@code A'} (a changed or transposed repeat of A), {@code B}, ...; {@code intro},
 *                      {@code interlude} or {@code outro} where the melody rests
 * @param firstBar      first bar number (0 is a pickup)
 * @param lastBar       last bar number, inclusive
 * @param repeats       index (in {@link SongForm#sections()}) of the earlier section this one repeats, -1 for none
 * @param transposition semitones from the repeated section to this one (0 when it repeats none)
 * @param occurrence    1 for the first section with this letter, 2 for the second, ...; 0 where the melody rests
 */
public record Section(String label, int firstBar, int lastBar, int repeats, int transposition, int occurrence) {

    /** Whether the melody rests throughout (intro, interlude, outro). */
    public boolean rest() {
        return occurrence == 0;
    }

    @Override
    public String toString() {
        return label + "(" + (firstBar == lastBar ? Integer.toString(firstBar) : firstBar + "-" + lastBar) + ")";
    }
}
