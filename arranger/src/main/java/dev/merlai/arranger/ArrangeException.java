package dev.merlai.arranger;

/** A score that cannot be arranged with the given options (no melody, bars out of range): the caller's input is at fault. */
public class ArrangeException extends Exception {
    public ArrangeException(String message) {
        super(message);
    }
}
