package io.frontier.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.IParameterExceptionHandler;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * Prints a usage error as the error, picocli's suggestions for a mistyped option, and one line
 * that says where the usage is: the whole usage help (90 lines for a node) would bury the error.
 */
public final class UsageError implements IParameterExceptionHandler {
    private final int exitCode;

    /** Makes a handler whose commands exit with {@code exitCode} on a usage error. */
    public UsageError(int exitCode) {
        this.exitCode = exitCode;
    }

    @Override
    public int handleParseException(ParameterException e, String[] args) {
        CommandLine command = e.getCommandLine();
        PrintWriter err = command.getErr();
        err.println("error: " + e.getMessage());
        UnmatchedArgumentException.printSuggestions(e, err);
        err.println("Run '" + command.getCommandSpec().qualifiedName() + " --help' for usage.");
        return exitCode;
    }
}
