package io.frontier.cli;

import io.frontier.api.v1.EdgeInfo;
import io.frontier.api.v1.ListEdgesReply;
import io.frontier.api.v1.ListEdgesRequest;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code ctl edges}: the edges and their state. */
@Command(
        name = "edges",
        mixinStandardHelpOptions = true,
        description = {
            "Lists the edges devices connect to, one line each:",
            "  EDGE  STATE  CONNS  TCP  WS  UPTIME  VERSION  TCP-ADDRESS  WS-ADDRESS  GRPC-ADDRESS",
            "STATE is active, draining (refuses devices, closing its connections), or unreachable (registered but"
                    + " not answering; its counts are unknown)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the list was printed (it may be empty)",
            "2:usage error",
            "3:the gateway could not be reached or failed",
            "4:the gateway refused the admin token (FRONTIER_ADMIN_TOKEN)"},
        footer = {"", "Examples:", "  frontier ctl edges", "  frontier ctl edges -o json"})
final class EdgesCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private AdminOptions options;

    @Override
    public Integer call() throws InterruptedException {
        return AdminCall.admin(spec, options.target, stub -> {
            ListEdgesReply reply = stub.listEdges(ListEdgesRequest.getDefaultInstance());
            PrintWriter out = spec.commandLine().getOut();
            if (options.json()) {
                AdminCall.printJson(reply, out);
                return FrontierCtl.OK;
            }
            if (reply.getEdgesCount() == 0) {
                out.println("no edge is registered");
                return FrontierCtl.OK;
            }
            Table table = new Table("EDGE", "STATE", "CONNS", "TCP", "WS", "UPTIME", "VERSION", "TCP-ADDRESS",
                    "WS-ADDRESS", "GRPC-ADDRESS");
            for (EdgeInfo e : reply.getEdgesList()) {
                boolean known = e.getReachable();
                table.row(e.getEdgeId(), !known ? "unreachable" : e.getDraining() ? "draining" : "active",
                        known ? Integer.toString(e.getCounts().getTotal()) : "",
                        known ? Integer.toString(e.getCounts().getTcp()) : "",
                        known ? Integer.toString(e.getCounts().getWs()) : "",
                        Table.span(Duration.ofMillis(e.getUptimeMs())), e.getVersion(), e.getTcpAddress(),
                        e.getWsAddress(), e.getGrpcAddress());
            }
            table.print(out);
            return FrontierCtl.OK;
        });
    }
}
