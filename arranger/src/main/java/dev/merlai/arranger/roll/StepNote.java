package dev.merlai.arranger.roll;

/**
 * A note on the grid, before it is played: its key and the steps it covers.
 *
 * @param pitch     MIDI pitch
 * @param firstStep the step it starts on
 * @param endStep   the step after its last
 */
public record StepNote(int pitch, int firstStep, int endStep) {
}
