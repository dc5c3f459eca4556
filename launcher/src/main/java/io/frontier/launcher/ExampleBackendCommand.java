package io.frontier.launcher;

import io.frontier.example.ExampleBackend;
import java.io.IOException;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code frontier example-backend}: a BackService to route upstream messages and events to while trying Frontier. */
@Command(name = "example-backend", mixinStandardHelpOptions = true,
        description = {
            "Serves an example BackService on 127.0.0.1: it echoes what devices send up (status 200)",
            "and prints a line per connection event. Point a gateway at it:",
            "  frontier standalone --route 1001=localhost:7100 --event-backend localhost:7100"})
final class ExampleBackendCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--port", defaultValue = "" + ExampleBackend.DEFAULT_PORT,
            description = "Port to serve on; 0 picks a free one. Default: ${DEFAULT-VALUE}.")
    int port;

    private final PrintStream out;

    ExampleBackendCommand(PrintStream out) {
        this.out = out;
    }

    @Override
    public Integer call() throws InterruptedException {
        try {
            ExampleBackend.run(port, out);
        } catch (IOException e) {
            spec.commandLine().getErr().println("frontier: " + e.getMessage()
                    + " (is it running already? choose another port with --port)");
            return 1;
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "invalid setting: " + e.getMessage());
        }
        return 0;
    }
}
