package dev.merlai.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code merlai} command. */
@Command(name = "merlai", mixinStandardHelpOptions = true, version = "merlai 0.1.0",
        description = "Completes songs: give it a melody, get back an arrangement (chords, bass, piano, counter-melody).",
        subcommands = {CompleteCommand.class, LiveCommand.class, ConvertCommand.class, ServeCommand.class, TenantsCommand.class, ReconcileCommand.class,
                CommandLine.HelpCommand.class},
        exitCodeListHeading = Merlai.EXIT_HEADING, exitCodeList = {Merlai.EXIT_OK, Merlai.EXIT_BAD_INPUT, Merlai.EXIT_UNAVAILABLE, Merlai.EXIT_INTERNAL})
public final class Merlai {

    /** Exit code for input the user can fix (a bad file, a wrong option). */
    static final int BAD_INPUT = 2;
    /** Exit code for a failure of Merlai itself. */
    static final int INTERNAL_ERROR = 70;

    // The exit codes as every command's --help lists them (picocli's "code:description").
    static final String EXIT_HEADING = "%nExit codes:%n";
    static final String EXIT_OK = "0:done";
    static final String EXIT_BAD_INPUT = "2:bad input or option (one line on stderr)";
    static final String EXIT_UNAVAILABLE = "69:a server not reachable or not startable, a credential not found (a port taken, a function not built)";
    static final String EXIT_INTERNAL = "70:internal error";

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command and returns its exit code; for tests and embedding. */
    public static int run(String... args) {
        CommandLine commandLine = new CommandLine(new Merlai());
        commandLine.setExecutionExceptionHandler((exception, cmd, parseResult) -> {
            if (exception instanceof java.io.IOException) { // a server not reached, a credential not found: said in one line
                cmd.getErr().println(cmd.getCommandSpec().qualifiedName() + ": " + exception.getMessage());
                return ServeCommand.UNAVAILABLE;
            }
            cmd.getErr().println("merlai: internal error: " + exception);
            return INTERNAL_ERROR;
        });
        commandLine.setParameterExceptionHandler((exception, args1) -> {
            CommandLine cmd = exception.getCommandLine();
            cmd.getErr().println("merlai: " + exception.getMessage() + " (see '" + cmd.getCommandSpec().qualifiedName() + " --help')");
            return BAD_INPUT;
        });
        return commandLine.execute(args);
    }
}
