package io.frontier.cli;

import static java.util.Objects.requireNonNull;

import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code frontier ctl}: the command line of administrators and backend developers.
 * Each subcommand is one task: {@code token} mints a development token,
 * {@code push} pushes a message through the Push API and {@code broadcast} pushes one to
 * every device, {@code device} plays a
 * device on the TCP protocol; {@code user}, {@code conns}, {@code kick},
 * {@code edges}, {@code drain}, {@code undrain} and {@code routes} call the Admin API.
 */
@Command(
        name = "ctl",
        mixinStandardHelpOptions = true,
        versionProvider = FrontierCtl.Version.class,
        description = "The command line of Frontier, the long-connection push gateway.",
        subcommands = {TokenCommand.class, PushCommand.class, BroadcastCommand.class, DeviceCommand.class,
            UserCommand.class, ConnsCommand.class, KickCommand.class, EdgesCommand.class, DrainCommand.class,
            UndrainCommand.class, RoutesCommand.class, CompletionCommand.class, HelpCommand.class},
        footer = {"", "Admin commands send FRONTIER_ADMIN_TOKEN, push and broadcast send FRONTIER_PUSH_TOKEN, when set.",
            "Run 'ctl help COMMAND' for the options of a command."})
public final class FrontierCtl implements Callable<Integer> {
    /** The command succeeded. */
    static final int OK = 0;
    /** The command ran, but did not get what it was for (a push delivered to no device). */
    static final int NOT_DONE = 1;
    /** The command line or the environment is wrong. */
    static final int USAGE = 2;
    /** The gateway could not be reached or failed. */
    static final int UNREACHABLE = 3;
    /** The gateway refused the token (UNAUTHENTICATED). */
    static final int ACCESS_DENIED = 4;

    private final Map<String, String> env;
    private final Clock clock;

    @Spec
    private CommandSpec spec;

    private FrontierCtl(Map<String, String> env, Clock clock) {
        this.env = env;
        this.clock = clock;
    }

    /** Runs {@code ctl} with the process's arguments, streams and environment, then exits with its code. */
    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.getenv()));
    }

    /**
     * Runs {@code ctl} the way a user does and returns its exit code: 0 success,
     * 1 the command ran but achieved nothing (see each command's help), 2 usage
     * error, 3 the gateway could not be reached or failed, 4 the gateway refused
     * the token.
     *
     * @param out where results go
     * @param err where errors and usage help go
     * @param env the environment, read for {@value DevTokens#SECRET_ENV}
     */
    public static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        requireNonNull(args, "args");
        requireNonNull(env, "env");
        PrintWriter outWriter = new PrintWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), true);
        PrintWriter errWriter = new PrintWriter(new OutputStreamWriter(err, StandardCharsets.UTF_8), true);
        try {
            return new CommandLine(create(Map.copyOf(env)))
                    .setCommandName("frontier ctl")
                    .setOut(outWriter)
                    .setErr(errWriter)
                    .setParameterExceptionHandler(new UsageError(USAGE))
                    .execute(args);
        } finally {
            outWriter.flush();
            errWriter.flush();
        }
    }

    /** Returns the root command of {@code ctl} in {@code env}. */
    static FrontierCtl create(Map<String, String> env) {
        return new FrontierCtl(env, Clock.systemUTC());
    }

    /** Returns the environment the command runs in. */
    Map<String, String> env() {
        return env;
    }

    /** Returns the clock tokens are minted with. */
    Clock clock() {
        return clock;
    }

    @Override
    public Integer call() {
        throw new ParameterException(spec.commandLine(), "Missing command: token, push, broadcast, device, user, conns, kick, edges, drain, undrain, routes or completion");
    }

    /** Reports the version and commit of this build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {BuildInfo.current().describe("frontier ctl")};
        }
    }
}
