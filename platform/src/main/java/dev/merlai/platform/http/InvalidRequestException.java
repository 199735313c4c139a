package dev.merlai.platform.http;

/** The caller's request is wrong; becomes an HTTP 400 problem+json naming the field. */
public class InvalidRequestException extends Exception {

    private final String field;

    public InvalidRequestException(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
