package io.frontier.cli;

import com.google.protobuf.ByteString;
import io.frontier.api.v1.BroadcastReply;
import io.frontier.api.v1.BroadcastRequest;
import io.frontier.api.v1.ClientType;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ctl broadcast}: one call of {@code frontier.v1.PushService/Broadcast}. */
@Command(
        name = "broadcast",
        mixinStandardHelpOptions = true,
        description = {
            "Pushes a text message to every connected device, or to every device of the given kinds, and prints"
                    + " what each edge did with it.",
            "Calls the gateway's Push API (frontier.v1.PushService/Broadcast, plaintext gRPC, 10s deadline)."
                    + " Delivery is at most once: no acks are waited for, and a device that is not reading is"
                    + " skipped rather than queued for. Prints one line per edge, then the totals:",
            "  EDGE  WRITTEN  SKIPPED-UNWRITABLE  SKIPPED-CLOSED  ERROR",
            "Sends FRONTIER_PUSH_TOKEN as its bearer token when it is set."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:the push was written to at least one device",
            "1:written to no device: no edge, no connected device (of those kinds), or no edge answered",
            "2:usage error",
            "3:the gateway could not be reached or refused the call (the gRPC status is printed)",
            "4:the gateway refused the push token (FRONTIER_PUSH_TOKEN)"},
        footer = {"", "Examples:",
            "  frontier ctl broadcast --text 'maintenance at 22:00'",
            "  frontier ctl broadcast --client-type ws --text hi -o json"})
final class BroadcastCommand implements Callable<Integer> {
    @Spec
    private CommandSpec spec;

    @Mixin
    private AdminOptions options;

    @Option(names = "--client-type", paramLabel = "tcp|ws", converter = PushCommand.ClientTypeConverter.class,
            description = "Only devices of this kind; repeatable. Default: every kind.")
    private List<ClientType> clientTypes = new ArrayList<>();

    @Option(names = "--text", required = true, paramLabel = "TEXT",
            description = "The message; the push payload is its UTF-8 bytes.")
    private String text;

    @Override
    public Integer call() throws InterruptedException {
        BroadcastRequest request = BroadcastRequest.newBuilder()
                .setPayload(ByteString.copyFrom(text, StandardCharsets.UTF_8))
                .addAllClientTypes(clientTypes)
                .build();
        return AdminCall.push(spec, options.target, PushCommand.CALL_DEADLINE,
                stub -> print(stub.broadcast(request), spec.commandLine().getOut()));
    }

    private int print(BroadcastReply reply, PrintWriter out) {
        int done = reply.getWritten() > 0 ? FrontierCtl.OK : FrontierCtl.NOT_DONE;
        if (options.json()) {
            AdminCall.printJson(reply, out);
            return done;
        }
        if (reply.getResultsCount() == 0) {
            out.println("no edge is registered");
            return done;
        }
        Table table = new Table("EDGE", "WRITTEN", "SKIPPED-UNWRITABLE", "SKIPPED-CLOSED", "ERROR");
        int failed = 0;
        for (BroadcastReply.EdgeResult result : reply.getResultsList()) {
            boolean answered = result.getError().isEmpty();
            failed += answered ? 0 : 1;
            table.row(result.getEdgeId(),
                    answered ? Integer.toUnsignedString(result.getWritten()) : "",
                    answered ? Integer.toUnsignedString(result.getSkippedUnwritable()) : "",
                    answered ? Integer.toUnsignedString(result.getSkippedClosed()) : "",
                    result.getError());
        }
        table.print(out);
        out.println("total: " + Long.toUnsignedString(reply.getWritten()) + " written, "
                + Long.toUnsignedString(reply.getSkipped()) + " skipped, on " + reply.getEdges()
                + (reply.getEdges() == 1 ? " edge" : " edges")
                + (failed == 0 ? "" : " (" + failed + " not reached)"));
        return done;
    }
}
