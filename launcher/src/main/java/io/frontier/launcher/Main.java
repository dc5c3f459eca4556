package io.frontier.launcher;

import io.frontier.cli.BuildInfo;
import io.frontier.cli.FrontierCtl;
import io.frontier.cli.UsageError;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code frontier} executable. */
@Command(name = "frontier", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "A long-connection push gateway.",
        subcommands = {StandaloneCommand.class, ControlPlaneCommand.class, EdgeCommand.class, ExampleBackendCommand.class},
        footer = {"", "Commands for administrators and backend developers: frontier ctl --help"})
public final class Main implements Runnable {
    /** The version nodes report in etcd and in --version. */
    static final String VERSION = BuildInfo.current().version();

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err, System.getenv()));
    }

    /** Runs one command line and returns its exit code. */
    static int run(String[] args, PrintStream out, PrintStream err, Map<String, String> env) {
        if (args.length > 0 && args[0].equals("ctl")) {
            return FrontierCtl.run(Arrays.copyOfRange(args, 1, args.length), out, err, env);
        }
        CommandLine cli = new CommandLine(new Main(), new CommandLine.IFactory() {
            @Override
            public <K> K create(Class<K> type) throws Exception {
                if (type == StandaloneCommand.class) {
                    return type.cast(new StandaloneCommand(env, out));
                }
                if (type == ControlPlaneCommand.class) {
                    return type.cast(new ControlPlaneCommand(env, out));
                }
                if (type == EdgeCommand.class) {
                    return type.cast(new EdgeCommand(env, out));
                }
                if (type == ExampleBackendCommand.class) {
                    return type.cast(new ExampleBackendCommand(out));
                }
                return CommandLine.defaultFactory().create(type);
            }
        });
        try {
            cli.setDefaultValueProvider(Settings.load(args, env));
        } catch (java.io.IOException e) {
            err.println("frontier: cannot read the configuration file: " + e);
            return 2;
        }
        cli.setOut(new java.io.PrintWriter(out, true));
        cli.setErr(new java.io.PrintWriter(err, true));
        cli.setParameterExceptionHandler(new UsageError(2));
        return cli.execute(args);
    }

    @Override
    public void run() {
        CommandLine.usage(this, System.out);
    }

    /** Reports the version and commit of this build. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {BuildInfo.current().describe("frontier")};
        }
    }
}
