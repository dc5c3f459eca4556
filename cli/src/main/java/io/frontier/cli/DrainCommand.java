package io.frontier.cli;

import io.frontier.api.v1.DrainEdgeReply;
import io.frontier.api.v1.DrainEdgeRequest;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ctl drain}: empties an edge before an upgrade. */
@Command(
        name = "drain",
        mixinStandardHelpOptions = true,
        description = {
            "Drains an edge before an upgrade or a shutdown: it refuses new devices at once (TCP Bye 503,"
                    + " WebSocket HTTP 503) and closes each of its connections with Bye 503 (reconnect elsewhere)"
                    + " at a random moment within --window, so that devices come back to the other edges gradually"
                    + " instead of all at once. 'ctl undrain' makes it accept devices again."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the edge is draining",
            "1:no such edge ('ctl edges' lists them)",
            "2:usage error",
            "3:the gateway could not be reached or failed",
            "4:the gateway refused the admin token (FRONTIER_ADMIN_TOKEN)"},
        footer = {"", "Examples:", "  frontier ctl drain edge-1", "  frontier ctl drain edge-1 --window 5m"})
final class DrainCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private AdminOptions options;

    @Parameters(paramLabel = "EDGE", description = "The edge id.")
    private String edge;

    @Option(names = "--window", paramLabel = "DURATION", defaultValue = "30s", converter = Durations.DrainWindow.class,
            description = "Spreads the closes over this long: 0s (all at once) to 1h (default: ${DEFAULT-VALUE}).")
    private Duration window;

    @Override
    public Integer call() throws InterruptedException {
        return AdminCall.admin(spec, options.target, stub -> {
            DrainEdgeReply reply = stub.drainEdge(DrainEdgeRequest.newBuilder().setEdgeId(edge)
                    .setWindowMs((int) window.toMillis()).build());
            PrintWriter out = spec.commandLine().getOut();
            if (options.json()) {
                AdminCall.printJson(reply, out);
            } else {
                out.println(edge + " is draining: it refuses new devices and closes its " + reply.getClosing()
                        + " connections with Bye 503 within " + Table.span(window));
            }
            return FrontierCtl.OK;
        });
    }
}
