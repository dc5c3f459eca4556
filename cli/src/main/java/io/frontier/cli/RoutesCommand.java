package io.frontier.cli;

import io.frontier.api.v1.DeleteRouteReply;
import io.frontier.api.v1.DeleteRouteRequest;
import io.frontier.api.v1.ListRoutesReply;
import io.frontier.api.v1.ListRoutesRequest;
import io.frontier.api.v1.RouteEntry;
import io.frontier.api.v1.SetRouteRequest;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code ctl routes}: which backend each upstream service goes to. */
@Command(
        name = "routes",
        mixinStandardHelpOptions = true,
        description = {
            "Lists, sets and deletes upstream routes: what devices send to service SERVICE goes to the BackService"
                    + " at TARGET. In a cluster routes live in etcd and reach every edge without a restart; in"
                    + " standalone mode they change the running gateway only (--route gives those of the next start).",
            "Without a subcommand, lists them:",
            "  SERVICE  TARGET"},
        subcommands = {RoutesCommand.List.class, RoutesCommand.Set.class, RoutesCommand.Delete.class},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:done",
            "1:delete: the service had no route",
            "2:usage error, or a target the gateway rejects",
            "3:the gateway could not be reached or failed (etcd down)",
            "4:the gateway refused the admin token (FRONTIER_ADMIN_TOKEN)"},
        footer = {"", "Examples:", "  frontier ctl routes", "  frontier ctl routes set 1001 localhost:7100,timeout=2s",
            "  frontier ctl routes delete 1001"})
final class RoutesCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    // Inherited by the subcommands: --target and -o work before or after the subcommand.
    @Mixin
    private AdminOptions options;

    @Override
    public Integer call() throws InterruptedException {
        return list(spec, options);
    }

    static int list(CommandSpec spec, AdminOptions options) throws InterruptedException {
        return AdminCall.admin(spec, options.target, stub -> {
            ListRoutesReply reply = stub.listRoutes(ListRoutesRequest.getDefaultInstance());
            PrintWriter out = spec.commandLine().getOut();
            if (options.json()) {
                AdminCall.printJson(reply, out);
            } else if (reply.getRoutesCount() == 0) {
                out.println("no routes");
            } else {
                Table table = new Table("SERVICE", "TARGET");
                for (RouteEntry route : reply.getRoutesList()) {
                    table.row(Integer.toString(route.getService()), route.getTarget());
                }
                table.print(out);
            }
            return FrontierCtl.OK;
        });
    }

    /** {@code ctl routes list}. */
    @Command(name = "list", mixinStandardHelpOptions = true, description = "Lists the routes: SERVICE  TARGET.")
    static final class List implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @ParentCommand
        private RoutesCommand routes;

        @Override
        public Integer call() throws InterruptedException {
            return list(spec, routes.options);
        }
    }

    /** {@code ctl routes set}. */
    @Command(name = "set", mixinStandardHelpOptions = true,
            description = "Routes SERVICE to TARGET, replacing its route if it had one.")
    static final class Set implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @ParentCommand
        private RoutesCommand routes;

        @Parameters(index = "0", paramLabel = "SERVICE", description = "The service id, above 0.")
        private int service;

        @Parameters(index = "1", paramLabel = "TARGET",
                description = "HOST:PORT, or HOST:PORT,timeout=DURATION (timeout of each call, such as 2s or 500ms).")
        private String target;

        @Override
        public Integer call() throws InterruptedException {
            return AdminCall.admin(spec, routes.options.target, stub -> {
                stub.setRoute(SetRouteRequest.newBuilder()
                        .setRoute(RouteEntry.newBuilder().setService(service).setTarget(target)).build());
                spec.commandLine().getOut().println("service " + service + " -> " + target);
                return FrontierCtl.OK;
            });
        }
    }

    /** {@code ctl routes delete}. */
    @Command(name = "delete", mixinStandardHelpOptions = true, description = "Removes the route of SERVICE.")
    static final class Delete implements Callable<Integer> {
        @Spec
        private CommandSpec spec;

        @ParentCommand
        private RoutesCommand routes;

        @Parameters(paramLabel = "SERVICE", description = "The service id.")
        private int service;

        @Override
        public Integer call() throws InterruptedException {
            return AdminCall.admin(spec, routes.options.target, stub -> {
                DeleteRouteReply reply = stub.deleteRoute(DeleteRouteRequest.newBuilder().setService(service).build());
                spec.commandLine().getOut().println(reply.getFound() ? "service " + service + " has no route now"
                        : "service " + service + " had no route");
                return reply.getFound() ? FrontierCtl.OK : FrontierCtl.NOT_DONE;
            });
        }
    }
}
