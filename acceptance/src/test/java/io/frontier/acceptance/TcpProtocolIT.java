package io.frontier.acceptance;

import static io.frontier.acceptance.RawTcpDevice.ACK;
import static io.frontier.acceptance.RawTcpDevice.BYE;
import static io.frontier.acceptance.RawTcpDevice.DATA;
import static io.frontier.acceptance.RawTcpDevice.HELLO;
import static io.frontier.acceptance.RawTcpDevice.HELLO_X;
import static io.frontier.acceptance.RawTcpDevice.NULL;
import static io.frontier.acceptance.RawTcpDevice.PING;
import static io.frontier.acceptance.RawTcpDevice.PROXY;
import static io.frontier.acceptance.RawTcpDevice.PUSH;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontier.acceptance.RawTcpDevice.Frame;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * PROTOCOL.md section 1 (feature phones), rule by rule, against {@code bin/frontier standalone} of the
 * distribution, from a raw-socket device that shares no code with the server; pushes come from
 * {@code bin/frontier ctl push}, upstream data goes to {@code bin/frontier example-backend}.
 */
class TcpProtocolIT {
    private static final int SERVICE = 1001;
    private static FrontierNode backend;
    private static StandaloneGateway gateway;

    @BeforeAll
    static void start() {
        int backendPort = Ports.free();
        backend = FrontierNode.exampleBackend("example-backend", backendPort);
        gateway = StandaloneGateway.start("--route", SERVICE + "=127.0.0.1:" + backendPort,
                "--route", "1002=127.0.0.1:" + Ports.free(), "--max-tcp-payload", "1024");
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    private static RawTcpDevice online(String user, String device) {
        return RawTcpDevice.online(gateway.tcpPort(), gateway.token(user, device), device);
    }

    @Test
    void hello_getsConnIdHeartbeatAndUser_thenPushesAreNumberedFrom1AndAcked() {
        try (RawTcpDevice device = online("tcp-alice", "phone-1")) {
            CompletableFuture<Ctl.Result> push = CompletableFuture.supplyAsync(() -> gateway.ctl("push",
                    "--target", gateway.grpcTarget(), "--user", "tcp-alice", "--text", "hello phone", "--wait-ack"));
            Frame frame = device.next();
            assertThat(frame.cmd()).isEqualTo(PUSH);
            assertThat(frame.seq()).isEqualTo(1);
            assertThat(frame.text()).isEqualTo("hello phone");
            device.send(ACK, frame.seq(), new byte[0]);
            Ctl.Result result = push.join();
            assertThat(result.exit()).as("%s", result).isZero();
            assertThat(result.out()).containsPattern("tcp-alice\\s+phone-1\\s+tcp\\s+[0-9a-f]{28}\\s+acknowledged");
        }
    }

    @Test
    void helloAck_carriesTheFieldsOfTheSpec() {
        try (RawTcpDevice device = RawTcpDevice.connect(gateway.tcpPort())) {
            Frame reply = device.hello(gateway.token("tcp-bob", "phone-2"), "phone-2");
            assertThat(reply.cmd()).isEqualTo(HELLO);
            assertThat(reply.seq()).isEqualTo(1);
            Map<Integer, Object> ack = reply.fields();
            assertThat(Protobuf.string(ack, 1)).matches("[0-9a-f]{28}");
            assertThat(Protobuf.number(ack, 2)).isEqualTo(300);
            assertThat(Protobuf.number(ack, 3)).isGreaterThan(1_700_000_000_000L);
            assertThat(Protobuf.string(ack, 4)).isEqualTo("tcp-bob");
        }
    }

    @Test
    void pingBeforeAndAfterHello_isAnsweredWithTheSameSeq_andNullIsIgnored() {
        try (RawTcpDevice device = RawTcpDevice.connect(gateway.tcpPort())) {
            device.sendRaw(HexFormat.of().parseHex("0000000000" + "0200070000"));
            Frame pong = device.next();
            assertThat(pong.cmd()).isEqualTo(PING);
            assertThat(pong.seq()).isEqualTo(7);
            assertThat(device.hello(gateway.token("tcp-carol", "phone-3"), "phone-3").cmd()).isEqualTo(HELLO);
            device.send(PING, 65535, new byte[0]);
            assertThat(device.next().seq()).isEqualTo(65535);
        }
    }

    @Test
    void framesSplitAtEveryByte_areReassembled() {
        try (RawTcpDevice device = RawTcpDevice.connect(gateway.tcpPort())) {
            for (byte b : HexFormat.of().parseHex("0200090000")) {
                device.sendRaw(new byte[] {b});
            }
            assertThat(device.next().seq()).isEqualTo(9);
        }
    }

    @Test
    void dataBeforeHello_gets401Response_andTheConnectionStays() {
        try (RawTcpDevice device = RawTcpDevice.connect(gateway.tcpPort())) {
            Frame reply = device.data(4, SERVICE, "too early");
            assertThat(reply.cmd()).isEqualTo(DATA);
            assertThat(reply.seq()).isEqualTo(4);
            assertThat(Protobuf.number(reply.fields(), 1)).isEqualTo(401);
            device.send(PING, 5, new byte[0]);
            assertThat(device.next().cmd()).isEqualTo(PING);
        }
    }

    @Test
    void ackBeforeHello_isBye401() {
        try (RawTcpDevice device = RawTcpDevice.connect(gateway.tcpPort())) {
            device.send(ACK, 1, new byte[0]);
            device.expectByeAndClose(401);
        }
    }

    @Test
    void unknownCommand_isBye400() {
        try (RawTcpDevice device = RawTcpDevice.connect(gateway.tcpPort())) {
            device.send(0x05, 1, new byte[0]);
            device.expectByeAndClose(400);
        }
    }

    @Test
    void helloX_isBye501_andProxyBye400() {
        try (RawTcpDevice device = RawTcpDevice.connect(gateway.tcpPort())) {
            device.send(HELLO_X, 1, new byte[0]);
            device.expectByeAndClose(501);
        }
        try (RawTcpDevice device = RawTcpDevice.connect(gateway.tcpPort())) {
            device.send(PROXY, 1, new byte[0]);
            device.expectByeAndClose(400);
        }
    }

    @Test
    void badToken_isBye401() {
        try (RawTcpDevice device = RawTcpDevice.connect(gateway.tcpPort())) {
            Frame bye = device.hello(Jwt.mint("another-secret-of-at-least-32-bytes!!", "mallory", "m-1"), "m-1");
            assertThat(bye.cmd()).isEqualTo(BYE);
            assertThat(bye.byeCode()).isEqualTo(401);
            device.expectClosed();
        }
        try (RawTcpDevice device = RawTcpDevice.connect(gateway.tcpPort())) {
            Frame bye = device.hello(Jwt.mint(StandaloneGateway.SECRET, "mallory", "m-1",
                    java.time.Instant.now().minusSeconds(60)), "m-1");
            assertThat(bye.byeCode()).as("an expired token").isEqualTo(401);
        }
        try (RawTcpDevice device = RawTcpDevice.connect(gateway.tcpPort())) {
            Frame bye = device.hello(gateway.token("mallory", "m-1"), "m-2");
            assertThat(bye.byeCode()).as("a token bound to another device").isEqualTo(401);
        }
    }

    @Test
    void secondHello_isBye400() {
        try (RawTcpDevice device = online("tcp-dave", "phone-4")) {
            assertThat(device.hello(gateway.token("tcp-dave", "phone-4"), "phone-4").byeCode()).isEqualTo(400);
            device.expectClosed();
        }
    }

    @Test
    void frameOverTheLimit_isBye413() {
        try (RawTcpDevice device = online("tcp-erin", "phone-5")) {
            device.send(DATA, 2, new byte[1025]);
            device.expectByeAndClose(413);
        }
    }

    @Test
    void pushFromTheDevice_isBye400() {
        try (RawTcpDevice device = online("tcp-fay", "phone-6")) {
            device.send(PUSH, 2, new byte[0]);
            device.expectByeAndClose(400);
        }
    }

    @Test
    void data_goesToTheRoutedBackend_404WithoutRoute_502WhenTheBackendIsDown() {
        try (RawTcpDevice device = online("tcp-gus", "phone-7")) {
            Frame echoed = device.data(2, SERVICE, "hi backend");
            assertThat(echoed.seq()).isEqualTo(2);
            assertThat(Protobuf.number(echoed.fields(), 1)).isEqualTo(200);
            assertThat(Protobuf.string(echoed.fields(), 2)).isEqualTo("hi backend");
            assertThat(Protobuf.number(device.data(3, 4242, "nobody").fields(), 1)).isEqualTo(404);
            assertThat(Protobuf.number(device.data(4, 1002, "down").fields(), 1)).isEqualTo(502);
        }
        gateway.node().awaitOutput("conn [0-9a-f]{28}.*service 1002", Duration.ofSeconds(10));
        assertThat(gateway.node().output()).as("a failed upstream call is one log line, not a stack trace")
                .doesNotContainPattern("(?m)^(\\tat |Caused by: )");
    }

    @Test
    void newConnectionOfTheSameDevice_replacesTheOldWithBye409() {
        try (RawTcpDevice first = online("tcp-hal", "phone-8");
                RawTcpDevice second = online("tcp-hal", "phone-8")) {
            first.expectByeAndClose(409);
            second.send(PING, 3, new byte[0]);
            assertThat(second.next().cmd()).isEqualTo(PING);
        }
    }

    @Test
    void deviceBye_closesTheConnection_andTheDeviceGoesOffline() {
        try (RawTcpDevice device = online("tcp-ivy", "phone-9")) {
            device.send(BYE, 0, new Protobuf().int32(1, 200).string(2, "bye").toBytes());
            device.expectClosed();
        }
        org.awaitility.Awaitility.await("tcp-ivy offline").atMost(Duration.ofSeconds(20)).until(
                () -> gateway.ctl("user", "--target", gateway.grpcTarget(), "tcp-ivy").exit() == 1);
    }

    @Test
    void logLines_carryTheDate() {
        assertThat(gateway.node().output()).containsPattern("(?m)^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}\\S* INFO ");
    }

    @Test
    void nullFrame_keepsTheLineAlive() {
        try (RawTcpDevice device = online("tcp-jo", "phone-10")) {
            device.send(NULL, 0, new byte[0]);
            device.send(PING, 11, new byte[0]);
            assertThat(device.next().seq()).isEqualTo(11);
        }
    }
}
