package dev.merlai.music;

/**
 * Where a tick falls in the bar structure.
 *
 * @param bar        bar number: 1 is the first full bar; 0 is a pickup (anacrusis) when the score has one
 * @param barStart   start of the bar, in ticks
 * @param barLength  length of the bar, in ticks (a pickup or a bar cut short by a meter change is shorter)
 * @param beat       0-based beat within the bar, in units of the time signature's denominator
 * @param sixteenth  0-based 16th note within the beat
 * @param remainder  ticks past that 16th note, 0..119
 */
public record BarPosition(int bar, long barStart, long barLength, int beat, int sixteenth, long remainder) {

    public boolean isDownbeat() {
        return beat == 0 && sixteenth == 0 && remainder == 0;
    }
}
