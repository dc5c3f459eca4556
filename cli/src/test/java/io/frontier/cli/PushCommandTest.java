package io.frontier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.DeviceOutcome;
import io.frontier.api.v1.DeviceOutcome.Outcome;
import io.frontier.api.v1.PushReply;
import io.frontier.api.v1.PushRequest;
import io.frontier.api.v1.UserTarget;
import io.grpc.Status;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class PushCommandTest {
    private static FakePushService service;

    @BeforeAll
    static void startService() throws Exception {
        service = new FakePushService();
    }

    @AfterAll
    static void stopService() throws Exception {
        service.close();
    }

    @BeforeEach
    void reset() {
        service.requests.clear();
        service.replyWith(PushReply.getDefaultInstance());
    }

    private static Ctl push(String... args) {
        List<String> all = new ArrayList<>(List.of("push", "--target", service.target()));
        all.addAll(List.of(args));
        return Ctl.run(all.toArray(String[]::new));
    }

    private static PushRequest sent() throws InterruptedException {
        PushRequest request = service.requests.poll(5, TimeUnit.SECONDS);
        assertThat(request).as("a Push call").isNotNull();
        return request;
    }

    private static DeviceOutcome outcome(String user, String device, ClientType type, String conn, Outcome outcome) {
        return DeviceOutcome.newBuilder()
                .setUserId(user).setDeviceId(device).setClientType(type).setConnId(conn).setOutcome(outcome).build();
    }

    @Test
    void push_toUser_printsOneAlignedLinePerOutcome() throws Exception {
        service.replyWith(PushReply.newBuilder()
                .addOutcomes(outcome("alice", "phone-1", ClientType.CLIENT_TYPE_TCP, "c-1", Outcome.ACKNOWLEDGED))
                .addOutcomes(outcome("alice", "tablet", ClientType.CLIENT_TYPE_WS, "c-22", Outcome.FAILED)
                        .toBuilder().setReason("write failed: connection reset").build())
                .build());

        Ctl ctl = push("--user", "alice", "--client-type", "tcp", "--client-type", "WS",
                "--text", "héllo", "--wait-ack", "--ack-timeout", "2s");

        assertThat(ctl.exitCode()).as("%s", ctl).isZero();
        assertThat(ctl.outLines()).containsExactly(
                "alice  phone-1  tcp  c-1   acknowledged",
                "alice  tablet   ws   c-22  failed        write failed: connection reset");
        assertThat(sent()).isEqualTo(PushRequest.newBuilder()
                .setUser(UserTarget.newBuilder().setUserId("alice")
                        .addClientTypes(ClientType.CLIENT_TYPE_TCP).addClientTypes(ClientType.CLIENT_TYPE_WS))
                .setPayload(ByteString.copyFromUtf8("héllo"))
                .setWaitAck(true)
                .setAckTimeoutMs(2000)
                .build());
    }

    @Test
    void push_withJsonOutput_printsTheReplyInTheProtobufJsonMapping() throws Exception {
        PushReply reply = PushReply.newBuilder()
                .addOutcomes(outcome("alice", "phone-1", ClientType.CLIENT_TYPE_TCP, "c-1", Outcome.DELIVERED))
                .build();
        service.replyWith(reply);

        Ctl ctl = push("--user", "alice", "--text", "hi", "-o", "json");

        assertThat(ctl.exitCode()).as("%s", ctl).isZero();
        PushReply.Builder printed = PushReply.newBuilder();
        JsonFormat.parser().merge(ctl.out(), printed);
        assertThat(printed.build()).isEqualTo(reply);
        assertThat(ctl.out()).contains("\"outcome\": \"DELIVERED\"");
        sent();

        service.replyWith(PushReply.getDefaultInstance());
        Ctl none = push("--user", "alice", "--text", "hi", "--output", "json");
        assertThat(none.exitCode()).as("%s", none).isEqualTo(1);
        assertThat(none.out()).contains("\"outcomes\": []");
    }

    @Test
    void push_toDevice_sendsADeviceTarget() throws Exception {
        service.replyWith(PushReply.newBuilder()
                .addOutcomes(outcome("alice", "phone-1", ClientType.CLIENT_TYPE_TCP, "c-1", Outcome.DELIVERED))
                .build());

        Ctl ctl = push("--user", "alice", "--device", "phone-1", "--text", "hi");

        assertThat(ctl.exitCode()).as("%s", ctl).isZero();
        assertThat(ctl.outLines()).containsExactly("alice  phone-1  tcp  c-1  delivered");
        PushRequest request = sent();
        assertThat(request.getDevice().getUserId()).isEqualTo("alice");
        assertThat(request.getDevice().getDeviceId()).isEqualTo("phone-1");
        assertThat(request.getWaitAck()).isFalse();
        assertThat(request.getAckTimeoutMs()).isZero();
    }

    @Test
    void push_toConnection_sendsAConnectionTarget() throws Exception {
        service.replyWith(PushReply.newBuilder()
                .addOutcomes(outcome("", "", ClientType.CLIENT_TYPE_UNSPECIFIED, "c-9", Outcome.OFFLINE))
                .build());

        Ctl ctl = push("--conn", "c-9", "--text", "hi");

        assertThat(ctl.exitCode()).as("%s", ctl).isEqualTo(1);
        assertThat(ctl.outLines()).containsExactly("-  -  -  c-9  offline");
        assertThat(sent().getConnection().getConnId()).isEqualTo("c-9");
    }

    @Test
    void push_toUserWithNoOnlineDevice_saysSoAndExits1() throws Exception {
        Ctl ctl = push("--user", "alice", "--text", "hi");

        assertThat(ctl.exitCode()).as("%s", ctl).isEqualTo(1);
        assertThat(ctl.outLines()).containsExactly("alice has no online device");
        sent();
    }

    @ParameterizedTest
    @EnumSource(value = Outcome.class, names = {"DELIVERED", "ACKNOWLEDGED", "ACK_TIMEOUT", "OFFLINE_NOTIFIED"})
    void push_countsAsDelivered(Outcome delivered) {
        service.replyWith(PushReply.newBuilder()
                .addOutcomes(outcome("alice", "a", ClientType.CLIENT_TYPE_WS, "c-1", Outcome.FAILED))
                .addOutcomes(outcome("alice", "b", ClientType.CLIENT_TYPE_TCP, "c-2", delivered))
                .build());

        Ctl ctl = push("--user", "alice", "--text", "hi");

        assertThat(ctl.exitCode()).as("%s", ctl).isZero();
        assertThat(ctl.outLines()).hasSize(2);
    }

    @Test
    void push_withOnlyOfflineAndFailedOutcomes_exits1() {
        service.replyWith(PushReply.newBuilder()
                .addOutcomes(outcome("alice", "a", ClientType.CLIENT_TYPE_WS, "", Outcome.OFFLINE))
                .addOutcomes(outcome("alice", "b", ClientType.CLIENT_TYPE_TCP, "c-2", Outcome.FAILED))
                .build());

        Ctl ctl = push("--user", "alice", "--text", "hi");

        assertThat(ctl.exitCode()).as("%s", ctl).isEqualTo(1);
        assertThat(ctl.outLines()).containsExactly(
                "alice  a  ws   -    offline",
                "alice  b  tcp  c-2  failed");
    }

    @Test
    void push_refusedByTheGateway_printsTheStatusAndExits3() {
        service.failWith(Status.INVALID_ARGUMENT.withDescription("payload: 70000 bytes (expected: at most 65535)"));

        Ctl ctl = push("--user", "alice", "--text", "hi");

        assertThat(ctl.exitCode()).as("%s", ctl).isEqualTo(3);
        assertThat(ctl.out()).isEmpty();
        assertThat(ctl.err().strip())
                .isEqualTo("push failed: INVALID_ARGUMENT: payload: 70000 bytes (expected: at most 65535)");
    }

    @Test
    void push_toAnUnreachableGateway_exits3WithAHint() throws Exception {
        int port;
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = socket.getLocalPort();
        }

        Ctl ctl = Ctl.run("push", "--target", "127.0.0.1:" + port, "--user", "alice", "--text", "hi");

        assertThat(ctl.exitCode()).as("%s", ctl).isEqualTo(3);
        assertThat(ctl.err()).startsWith("push failed: UNAVAILABLE")
                .contains("is the gateway running on 127.0.0.1:" + port + "?");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "--text hi",
        "--user alice",
        "--device phone-1 --text hi",
        "--user alice --conn c-1 --text hi",
        "--conn c-1 --client-type tcp --text hi",
        "--user alice --client-type sms --text hi",
        "--user alice --text hi --ack-timeout 61s",
        "--user alice --text hi --ack-timeout soon",
        "--user alice --text hi --target nowhere",
        "--user alice --text hi --target host:70000",
        "--user alice --text hi --bogus",
    })
    void push_usageError_exits2WithoutCalling(String args) {
        List<String> all = new ArrayList<>(List.of("push"));
        all.addAll(List.of(args.split(" ")));

        Ctl ctl = Ctl.run(all.toArray(String[]::new));

        assertThat(ctl.exitCode()).as("%s", ctl).isEqualTo(2);
        assertThat(ctl.out()).isEmpty();
        assertThat(ctl.err()).startsWith("error: ").contains("Run 'frontier ctl push --help' for usage.");
        assertThat(service.requests).isEmpty();
    }

    @Test
    void push_usageError_saysWhatIsExpected() {
        assertThat(Ctl.run("push", "--device", "phone-1", "--text", "hi").err())
                .startsWith("error: --device: phone-1 without --user (expected: --user USER --device DEVICE)");
        assertThat(Ctl.run("push", "--user", "a", "--conn", "c", "--text", "hi").err())
                .startsWith("error: --user a and --conn c (expected: one of them, not both)");
    }

    @Test
    void help_documentsTheExitCodes() {
        Ctl ctl = Ctl.run("push", "--help");

        assertThat(ctl.exitCode()).isZero();
        assertThat(ctl.out()).contains("Exit codes:", "0   at least one device", "1   nothing delivered",
                "2   usage error", "3   the gateway could not be reached");
    }

    @Test
    void ctl_withoutCommand_isAUsageError_andHelpListsTheCommands() {
        Ctl bare = Ctl.run();
        assertThat(bare.exitCode()).isEqualTo(2);
        assertThat(bare.err()).contains("Missing command");

        Ctl help = Ctl.run("--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("token", "push", "device");

        assertThat(Ctl.run("pussh").exitCode()).isEqualTo(2);
    }
}
