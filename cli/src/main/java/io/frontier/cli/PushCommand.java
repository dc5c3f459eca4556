package io.frontier.cli;

import com.google.protobuf.ByteString;
import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.ConnectionTarget;
import io.frontier.api.v1.DeviceOutcome;
import io.frontier.api.v1.DeviceTarget;
import io.frontier.api.v1.PushManyRequest;
import io.frontier.api.v1.PushReply;
import io.frontier.api.v1.PushRequest;
import io.frontier.api.v1.UserTarget;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;
import picocli.CommandLine.TypeConversionException;

/** {@code ctl push}: one call of {@code frontier.v1.PushService/Push}, or of {@code PushMany} for several users. */
@Command(
        name = "push",
        mixinStandardHelpOptions = true,
        customSynopsis = {
            "frontier ctl push [--target=HOST:PORT] (--user=USER [--device=DEVICE] | --user=USER... | --conn=CONN-ID)",
            "         [--client-type=tcp|ws]... --text=TEXT",
            "         [--wait-ack] [--ack-timeout=DURATION] [-o=table|json]"},
        description = {
            "Pushes a text message to a user's devices and prints what became of it.",
            "Calls the gateway's Push API (frontier.v1.PushService/Push, plaintext gRPC, 10s deadline plus the"
                    + " ack timeout with --wait-ack) for every online device of a user, one device, or one"
                    + " connection, and prints one line per device connection:",
            "Several --user options make one PushMany call (frontier.v1.PushService/PushMany) for all of them, which"
                    + " prints a user with no device online as one offline line.",
            "  USER  DEVICE  CLIENT-TYPE  CONN-ID  OUTCOME  [REASON]",
            "or, with -o json, the reply in the protobuf JSON mapping.",
            "Outcomes: delivered, acknowledged, ack_timeout, offline, offline_notified, failed.",
            "Sends FRONTIER_PUSH_TOKEN as its bearer token when it is set."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {
            "0:at least one device got the push written (delivered, acknowledged, ack_timeout or offline_notified)",
            "1:nothing delivered: no online device, or every outcome offline or failed",
            "2:usage error",
            "3:the gateway could not be reached or refused the call (the gRPC status is printed)",
            "4:the gateway refused the push token (FRONTIER_PUSH_TOKEN)"},
        footer = {"", "Examples:",
            "  frontier ctl push --user alice --text hello",
            "  frontier ctl push --user alice --device phone-1 --text hi --wait-ack",
            "  frontier ctl push --user alice --user bob --user carol --text 'hi, group'",
            "  frontier ctl push --target edge-1:7000 --conn c-42 --text hi"})
final class PushCommand implements Callable<Integer> {
    /** The deadline of the call, on top of the ack timeout when waiting for acks. */
    static final Duration CALL_DEADLINE = Duration.ofSeconds(10);

    private static final Set<DeviceOutcome.Outcome> DELIVERED = EnumSet.of(
            DeviceOutcome.Outcome.DELIVERED,
            DeviceOutcome.Outcome.ACKNOWLEDGED,
            DeviceOutcome.Outcome.ACK_TIMEOUT,
            DeviceOutcome.Outcome.OFFLINE_NOTIFIED);

    @Spec
    private CommandSpec spec;

    @Mixin
    private AdminOptions options;

    @Option(names = "--user", paramLabel = "USER",
            description = "Every online device of this user; repeatable, for a group pushed in one call.")
    private List<String> users = new ArrayList<>();

    @Option(names = "--device", paramLabel = "DEVICE", description = "Only this device of the user; needs --user.")
    private String device;

    @Option(names = "--conn", paramLabel = "CONN-ID",
            description = "One connection, by the id its edge gave it; instead of --user.")
    private String conn;

    @Option(names = "--client-type", paramLabel = "tcp|ws", converter = ClientTypeConverter.class,
            description = "Only devices of this kind; repeatable. Default: every kind. Not with --conn.")
    private List<ClientType> clientTypes = new ArrayList<>();

    @Option(names = "--text", required = true, paramLabel = "TEXT",
            description = "The message; the push payload is its UTF-8 bytes.")
    private String text;

    @Option(names = "--wait-ack", description = "Waits for each device's ack and reports it.")
    private boolean waitAck;

    @Option(names = "--ack-timeout", paramLabel = "DURATION", defaultValue = "5s",
            converter = Durations.AckTimeout.class,
            description = "How long the gateway waits for acks with --wait-ack: 500ms, 5s; at most 60s"
                    + " (default: ${DEFAULT-VALUE}).")
    private Duration ackTimeout;

    /** Converts {@code --client-type}. */
    static final class ClientTypeConverter implements ITypeConverter<ClientType> {
        @Override
        public ClientType convert(String value) {
            return switch (value.toLowerCase(Locale.ROOT)) {
                case "tcp" -> ClientType.CLIENT_TYPE_TCP;
                case "ws" -> ClientType.CLIENT_TYPE_WS;
                default -> throw new TypeConversionException(value + " (expected: tcp or ws)");
            };
        }
    }

    @Override
    public Integer call() throws InterruptedException {
        validateRecipient();
        PrintWriter out = spec.commandLine().getOut();
        Duration deadline = waitAck ? CALL_DEADLINE.plus(ackTimeout) : CALL_DEADLINE;
        if (users.size() > 1) {
            PushManyRequest request = manyRequest();
            return AdminCall.push(spec, options.target, deadline, stub -> print(stub.pushMany(request), out));
        }
        PushRequest request = request();
        return AdminCall.push(spec, options.target, deadline, stub -> print(stub.push(request), out));
    }

    private int print(PushReply reply, PrintWriter out) {
        boolean delivered = reply.getOutcomesList().stream().anyMatch(o -> DELIVERED.contains(o.getOutcome()));
        if (options.json()) {
            AdminCall.printJson(reply, out);
            return delivered ? FrontierCtl.OK : FrontierCtl.NOT_DONE;
        }
        if (reply.getOutcomesCount() == 0) {
            out.println(conn != null
                    ? "connection " + conn + " is not online"
                    : users.get(0) + " has no online device"
                            + (device != null ? " " + device : "")
                            + (clientTypes.isEmpty() ? "" : " of type " + clientTypeList()));
            return FrontierCtl.NOT_DONE;
        }
        OutcomeTable.print(reply.getOutcomesList(), out);
        return delivered ? FrontierCtl.OK : FrontierCtl.NOT_DONE;
    }

    /** Checks what picocli cannot say well: exactly one of --user and --conn, and what goes with each. */
    private void validateRecipient() {
        if (device != null && users.isEmpty()) {
            throw usage("--device: " + device + " without --user (expected: --user USER --device DEVICE)");
        }
        if (users.isEmpty() == (conn == null)) {
            throw usage(users.isEmpty()
                    ? "no recipient (expected: --user USER [--device DEVICE], or --conn CONN-ID)"
                    : "--user " + users.get(0) + " and --conn " + conn + " (expected: one of them, not both)");
        }
        if (device != null && users.size() > 1) {
            throw usage("--device: " + device + " with " + users.size() + " users (expected: one --user with --device)");
        }
        if (conn != null && !clientTypes.isEmpty()) {
            throw usage("--client-type: " + clientTypeList() + " (expected: only with --user; a connection has one type)");
        }
        List<String[]> options = new ArrayList<>();
        users.forEach(user -> options.add(new String[] {"--user", user}));
        options.add(new String[] {"--device", device});
        options.add(new String[] {"--conn", conn});
        for (String[] option : options) {
            if (option[1] != null && option[1].isBlank()) {
                throw usage(option[0] + ": '" + option[1] + "' (expected: not blank)");
            }
        }
    }

    private ParameterException usage(String message) {
        return new ParameterException(spec.commandLine(), message);
    }

    private PushManyRequest manyRequest() {
        PushManyRequest.Builder request = PushManyRequest.newBuilder()
                .setPayload(ByteString.copyFrom(text, StandardCharsets.UTF_8))
                .setWaitAck(waitAck);
        if (waitAck) {
            request.setAckTimeoutMs((int) ackTimeout.toMillis());
        }
        users.forEach(user -> request.addUsers(UserTarget.newBuilder().setUserId(user).addAllClientTypes(clientTypes)));
        return request.build();
    }

    private PushRequest request() {
        PushRequest.Builder request = PushRequest.newBuilder()
                .setPayload(ByteString.copyFrom(text, StandardCharsets.UTF_8))
                .setWaitAck(waitAck);
        if (waitAck) {
            request.setAckTimeoutMs((int) ackTimeout.toMillis());
        }
        if (conn != null) {
            request.setConnection(ConnectionTarget.newBuilder().setConnId(conn));
        } else if (device != null) {
            request.setDevice(DeviceTarget.newBuilder()
                    .setUserId(users.get(0))
                    .setDeviceId(device)
                    .addAllClientTypes(clientTypes));
        } else {
            request.setUser(UserTarget.newBuilder().setUserId(users.get(0)).addAllClientTypes(clientTypes));
        }
        return request.build();
    }

    private String clientTypeList() {
        return String.join(",", clientTypes.stream().map(OutcomeTable::clientType).toList());
    }
}
