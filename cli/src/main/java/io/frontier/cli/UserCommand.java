package io.frontier.cli;

import io.frontier.api.v1.GetUserReply;
import io.frontier.api.v1.GetUserRequest;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code ctl user}: a user's connections, both client types. */
@Command(
        name = "user",
        mixinStandardHelpOptions = true,
        description = {
            "Shows every online device of a user, feature phones (tcp) and smartphones (ws), one line each:",
            "  TYPE  DEVICE  CONN-ID  EDGE  ADDRESS  CONNECTED  LAST-ACTIVE",
            "CONNECTED is when the edge accepted the connection (UTC); LAST-ACTIVE is when the device last sent"
                    + " anything, as its edge knows it (- when the edge did not answer)."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the user has at least one online device",
            "1:the user has no online device",
            "2:usage error",
            "3:the gateway could not be reached or failed",
            "4:the gateway refused the admin token (FRONTIER_ADMIN_TOKEN)"},
        footer = {"", "Examples:", "  frontier ctl user alice", "  frontier ctl user alice -o json"})
final class UserCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private AdminOptions options;

    @Parameters(paramLabel = "USER", description = "The user id.")
    private String user;

    @Override
    public Integer call() throws InterruptedException {
        return AdminCall.admin(spec, options.target, stub -> {
            GetUserReply reply = stub.getUser(GetUserRequest.newBuilder().setUserId(user).build());
            PrintWriter out = spec.commandLine().getOut();
            if (options.json()) {
                AdminCall.printJson(reply, out);
            } else if (reply.getConnectionsCount() == 0) {
                out.println(user + " has no online device");
            } else {
                Connections.table(reply.getConnectionsList(), false).print(out);
            }
            return reply.getConnectionsCount() > 0 ? FrontierCtl.OK : FrontierCtl.NOT_DONE;
        });
    }
}
