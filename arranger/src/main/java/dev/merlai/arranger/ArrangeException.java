package dev.merlai.arranger;

/** A score that cannot be arranged with the given options (no melody, bars out of range): the caller's input is at fault. */
public class ArrangeException extends Exception {

    private final String option;

    public ArrangeException(String message) {
        this(message, null);
    }

    /** @param option the option at fault ({@code chords}, ...), or null when it is the score */
    public ArrangeException(String message, String option) {
        super(message);
        this.option = option;
    }

    /** The option at fault, or null when it is the score. */
    public String option() {
        return option;
    }
}
