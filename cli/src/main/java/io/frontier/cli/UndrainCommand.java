package io.frontier.cli;

import io.frontier.api.v1.UndrainEdgeReply;
import io.frontier.api.v1.UndrainEdgeRequest;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ctl undrain}: ends a drain. */
@Command(
        name = "undrain",
        mixinStandardHelpOptions = true,
        description = {"Makes a draining edge accept devices again; connections it has not closed yet stay open."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the edge accepts devices (whether or not it was draining)",
            "1:no such edge ('ctl edges' lists them)",
            "2:usage error",
            "3:the gateway could not be reached or failed",
            "4:the gateway refused the admin token (FRONTIER_ADMIN_TOKEN)"},
        footer = {"", "Example:", "  frontier ctl undrain edge-1"})
final class UndrainCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private AdminOptions options;

    @Parameters(paramLabel = "EDGE", description = "The edge id.")
    private String edge;

    @Override
    public Integer call() throws InterruptedException {
        return AdminCall.admin(spec, options.target, stub -> {
            UndrainEdgeReply reply = stub.undrainEdge(UndrainEdgeRequest.newBuilder().setEdgeId(edge).build());
            PrintWriter out = spec.commandLine().getOut();
            if (options.json()) {
                AdminCall.printJson(reply, out);
            } else {
                out.println(edge + (reply.getWasDraining() ? " accepts devices again" : " was not draining; it accepts devices"));
            }
            return FrontierCtl.OK;
        });
    }
}
