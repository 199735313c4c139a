package dev.merlai.plugins;

/** A catalog entry (or a request about one) is wrong; {@link #field()} names what, e.g. {@code formats[1]}. */
public class InvalidEntryException extends Exception {

    private final String field;

    public InvalidEntryException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
