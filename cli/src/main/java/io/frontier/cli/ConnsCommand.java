package io.frontier.cli;

import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.ListConnectionsReply;
import io.frontier.api.v1.ListConnectionsRequest;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ctl conns}: the connections of one edge, a page at a time. */
@Command(
        name = "conns",
        mixinStandardHelpOptions = true,
        description = {
            "Lists the connections of an edge, ordered by connection id, a page at a time, then the edge's counts:",
            "  USER  TYPE  DEVICE  CONN-ID  EDGE  ADDRESS  CONNECTED  LAST-ACTIVE",
            "  edge-1: 2 connections (tcp 1, ws 1)",
            "When more pages follow, the last line gives the --page-token of the next; --all fetches every page."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the page was printed (it may be empty)",
            "1:no such edge ('ctl edges' lists them)",
            "2:usage error",
            "3:the gateway could not be reached or failed",
            "4:the gateway refused the admin token (FRONTIER_ADMIN_TOKEN)"},
        footer = {"", "Examples:", "  frontier ctl conns edge-1", "  frontier ctl conns edge-1 --user alice --client-type ws",
            "  frontier ctl conns edge-1 --all -o json"})
final class ConnsCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private AdminOptions options;

    @Parameters(paramLabel = "EDGE", description = "The edge id.")
    private String edge;

    @Option(names = "--user", paramLabel = "USER", description = "Only this user's connections.")
    private String user;

    @Option(names = "--client-type", paramLabel = "tcp|ws", converter = PushCommand.ClientTypeConverter.class,
            description = "Only connections of this kind.")
    private ClientType clientType;

    @Option(names = "--page-size", paramLabel = "N", defaultValue = "100",
            description = "Connections per page, 1 to 1000 (default: ${DEFAULT-VALUE}).")
    private int pageSize;

    @Option(names = "--page-token", paramLabel = "TOKEN", description = "Where the previous page ended.")
    private String pageToken;

    @Option(names = "--all", description = "Fetches every page.")
    private boolean all;

    @Override
    public Integer call() throws InterruptedException {
        if (pageSize < 1 || pageSize > 1000) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--page-size: " + pageSize + " (expected: 1 to 1000)");
        }
        return AdminCall.admin(spec, options.target, stub -> {
            ListConnectionsRequest.Builder request = ListConnectionsRequest.newBuilder()
                    .setEdgeId(edge)
                    .setPageSize(pageSize)
                    .setUserId(user == null ? "" : user)
                    .setPageToken(pageToken == null ? "" : pageToken);
            if (clientType != null) {
                request.setClientType(clientType);
            }
            ListConnectionsReply reply = stub.listConnections(request.build());
            ListConnectionsReply.Builder merged = reply.toBuilder();
            while (all && !merged.getNextPageToken().isEmpty()) {
                ListConnectionsReply next = stub.listConnections(request.setPageToken(merged.getNextPageToken()).build());
                merged.addAllConnections(next.getConnectionsList()).setNextPageToken(next.getNextPageToken())
                        .setCounts(next.getCounts());
            }
            print(merged.build());
            return FrontierCtl.OK;
        });
    }

    private void print(ListConnectionsReply reply) {
        PrintWriter out = spec.commandLine().getOut();
        if (options.json()) {
            AdminCall.printJson(reply, out);
            return;
        }
        if (reply.getConnectionsCount() > 0) {
            Connections.table(reply.getConnectionsList(), true).print(out);
        } else {
            out.println("no connection matches");
        }
        out.println(edge + ": " + reply.getCounts().getTotal() + " connections (tcp " + reply.getCounts().getTcp()
                + ", ws " + reply.getCounts().getWs() + ")");
        if (!reply.getNextPageToken().isEmpty()) {
            out.println("more: --page-token " + reply.getNextPageToken());
        }
    }
}
