package dev.merlai.cli;

/** Reports a failure the user can fix, as one line on stderr. */
final class InputFailure {

    private InputFailure() {
    }

    static int report(String subject, String message) {
        System.err.println("merlai: " + subject + ": " + message);
        return Merlai.BAD_INPUT;
    }
}
