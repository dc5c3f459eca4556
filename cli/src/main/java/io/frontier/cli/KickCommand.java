package io.frontier.cli;

import io.frontier.api.v1.AdminKickReply;
import io.frontier.api.v1.AdminKickRequest;
import io.frontier.api.v1.ConnectionInfo;
import io.frontier.api.v1.DeviceTarget;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code ctl kick}: closes connections with Bye 410. */
@Command(
        name = "kick",
        mixinStandardHelpOptions = true,
        customSynopsis = "frontier ctl kick [--target=HOST:PORT] (--conn=CONN-ID | --user=USER [--device=DEVICE])"
                + " [--reason=TEXT] [-o table|json]",
        description = {
            "Closes connections with Bye 410 (kicked): one connection, every device of a user, or one device",
            "of a user. The devices are told the reason. Prints one line per closed connection:",
            "  kicked  USER  DEVICE  TYPE  CONN-ID  EDGE"},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:at least one connection was closed",
            "1:nothing to kick: the target is not online",
            "2:usage error",
            "3:the gateway could not be reached or failed",
            "4:the gateway refused the admin token (FRONTIER_ADMIN_TOKEN)"},
        footer = {"", "Examples:", "  frontier ctl kick --user alice", "  frontier ctl kick --user alice --device phone-1",
            "  frontier ctl kick --conn 6b0731d4fb28ac697f0000012328 --reason 'account closed'"})
final class KickCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private AdminOptions options;

    @Option(names = "--conn", paramLabel = "CONN-ID", description = "One connection, by its id.")
    private String conn;

    @Option(names = "--user", paramLabel = "USER", description = "Every device of this user.")
    private String user;

    @Option(names = "--device", paramLabel = "DEVICE", description = "Only this device of the user; needs --user.")
    private String device;

    @Option(names = "--reason", paramLabel = "TEXT", description = "Sent to the device in the Bye (default: kicked by an"
            + " administrator).")
    private String reason;

    @Override
    public Integer call() throws InterruptedException {
        AdminKickRequest request = request();
        return AdminCall.admin(spec, options.target, stub -> {
            AdminKickReply reply = stub.kick(request);
            PrintWriter out = spec.commandLine().getOut();
            if (options.json()) {
                AdminCall.printJson(reply, out);
            } else if (reply.getKickedCount() == 0) {
                out.println("nothing kicked: " + (conn != null ? "connection " + conn
                        : user + (device != null ? " " + device : "")) + " is not online");
            } else {
                Table table = new Table("RESULT", "USER", "DEVICE", "TYPE", "CONN-ID", "EDGE");
                for (ConnectionInfo c : reply.getKickedList()) {
                    table.row("kicked", c.getUserId(), c.getDeviceId(), OutcomeTable.clientType(c.getClientType()),
                            c.getConnId(), c.getEdgeId());
                }
                table.print(out);
            }
            return reply.getKickedCount() > 0 ? FrontierCtl.OK : FrontierCtl.NOT_DONE;
        });
    }

    private AdminKickRequest request() {
        if (device != null && user == null) {
            throw usage("--device: " + device + " without --user (expected: --user USER --device DEVICE)");
        }
        if ((user == null) == (conn == null)) {
            throw usage(user == null ? "no target (expected: --conn CONN-ID, or --user USER [--device DEVICE])"
                    : "--user " + user + " and --conn " + conn + " (expected: one of them, not both)");
        }
        AdminKickRequest.Builder request = AdminKickRequest.newBuilder().setReason(reason == null ? "" : reason);
        if (conn != null) {
            request.setConnId(conn);
        } else if (device != null) {
            request.setDevice(DeviceTarget.newBuilder().setUserId(user).setDeviceId(device));
        } else {
            request.setUserId(user);
        }
        return request.build();
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }
}
