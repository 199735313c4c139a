package dev.merlai.platform.http;

import java.util.Map;

/**
 * A request that cannot be served as asked, with its own status (404, 409, 429, ...) and problem type; becomes an
 * {@code application/problem+json} answer whose extra members ({@code extensions}) say what exactly was wrong.
 */
public class ProblemException extends Exception {

    private final int status;
    private final String type;
    private final String title;
    private final Map<String, Object> extensions;

    public ProblemException(int status, String type, String title, String detail, Map<String, Object> extensions) {
        super(detail);
        this.status = status;
        this.type = type;
        this.title = title;
        this.extensions = Map.copyOf(extensions);
    }

    public int status() {
        return status;
    }

    public String type() {
        return type;
    }

    public String title() {
        return title;
    }

    public Map<String, Object> extensions() {
        return extensions;
    }
}
