package io.frontier.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.ConnectionTarget;
import io.frontier.api.v1.DeviceOutcome;
import io.frontier.api.v1.DeviceOutcome.Outcome;
import io.frontier.api.v1.DeviceTarget;
import io.frontier.api.v1.PushReply;
import io.frontier.api.v1.PushRequest;
import io.frontier.api.v1.PushServiceGrpc;
import io.frontier.api.v1.TcpHelloAck;
import io.frontier.api.v1.UserTarget;
import io.frontier.cli.DevTokens;
import io.frontier.control.push.PushLimits;
import io.frontier.device.ByeException;
import io.frontier.device.TcpDeviceClient;
import io.frontier.edge.EdgeConfig;
import io.frontier.protocol.StatusCode;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The whole standalone gateway as a user meets it: real TCP devices, the Push API over
 * real gRPC, tokens minted by the CLI, and the CLI's push command.
 */
class StandaloneEndToEndTest {
    private static final String SECRET = "end-to-end-secret-of-at-least-32-bytes";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private Standalone gateway;
    private EventLoopGroup devices;
    private ManagedChannel channel;
    private PushServiceGrpc.PushServiceBlockingStub push;

    @BeforeEach
    void start() throws Exception {
        gateway = Standalone.start(new StandaloneConfig(EdgeConfig.builder()
                .tcpHost("127.0.0.1").tcpPort(0).wsHost("127.0.0.1").wsPort(0).jwtSecret(SECRET).ioThreads(2).build(),
                "127.0.0.1", 0, PushLimits.DEFAULTS, null));
        devices = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
        channel = NettyChannelBuilder.forAddress(gateway.grpcAddress()).usePlaintext().build();
        push = PushServiceGrpc.newBlockingStub(channel);
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        gateway.close();
        devices.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    private TcpDeviceClient connect() {
        return TcpDeviceClient.connect(devices, gateway.edge().tcpAddress(), TcpDeviceClient.Options.DEFAULTS).join();
    }

    private TcpHelloAck online(TcpDeviceClient device, String user, String deviceId) {
        String token = DevTokens.mint(SECRET, user, deviceId, Duration.ofHours(1), Clock.systemUTC());
        return device.hello(token, deviceId, "1.0").orTimeout(10, TimeUnit.SECONDS).join();
    }

    private PushReply pushTo(PushRequest.Builder request) {
        return push.withDeadlineAfter(20, TimeUnit.SECONDS).push(request.build());
    }

    private static PushRequest.Builder toUser(String user, String text) {
        return PushRequest.newBuilder().setUser(UserTarget.newBuilder().setUserId(user))
                .setPayload(ByteString.copyFromUtf8(text));
    }

    @Test
    void pushThroughTheApi_reachesTheDevice_andIsReportedAcknowledged() throws Exception {
        TcpDeviceClient device = connect();
        TcpHelloAck ack = online(device, "alice", "phone-1");
        PushReply reply = pushTo(toUser("alice", "hello phone").setWaitAck(true).setAckTimeoutMs(5000));
        assertThat(reply.getOutcomesList()).hasSize(1);
        DeviceOutcome outcome = reply.getOutcomes(0);
        assertThat(outcome.getOutcome()).isEqualTo(Outcome.ACKNOWLEDGED);
        assertThat(outcome.getConnId()).isEqualTo(ack.getConnId());
        assertThat(outcome.getDeviceId()).isEqualTo("phone-1");
        assertThat(outcome.getClientType()).isEqualTo(ClientType.CLIENT_TYPE_TCP);
        assertThat(outcome.getEdgeId()).isEqualTo("edge-1");
        TcpDeviceClient.Push received = device.pushes().poll(10, TimeUnit.SECONDS);
        assertThat(new String(received.payload(), StandardCharsets.UTF_8)).isEqualTo("hello phone");
        assertThat(received.seq()).isEqualTo(1);
    }

    @Test
    void pushToADeviceAndToAConnection_reachOnlyThatDevice() throws Exception {
        TcpDeviceClient phone = connect();
        TcpDeviceClient tablet = connect();
        online(phone, "alice", "phone");
        TcpHelloAck tabletAck = online(tablet, "alice", "tablet");
        PushReply byDevice = pushTo(PushRequest.newBuilder()
                .setDevice(DeviceTarget.newBuilder().setUserId("alice").setDeviceId("phone"))
                .setPayload(ByteString.copyFromUtf8("to phone")));
        assertThat(byDevice.getOutcomesList()).extracting(DeviceOutcome::getDeviceId, DeviceOutcome::getOutcome)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("phone", Outcome.DELIVERED));
        PushReply byConn = pushTo(PushRequest.newBuilder()
                .setConnection(ConnectionTarget.newBuilder().setConnId(tabletAck.getConnId()))
                .setPayload(ByteString.copyFromUtf8("to tablet")));
        assertThat(byConn.getOutcomes(0).getOutcome()).isEqualTo(Outcome.DELIVERED);
        assertThat(byConn.getOutcomes(0).getDeviceId()).isEqualTo("tablet");
        assertThat(new String(phone.pushes().poll(10, TimeUnit.SECONDS).payload())).isEqualTo("to phone");
        assertThat(new String(tablet.pushes().poll(10, TimeUnit.SECONDS).payload())).isEqualTo("to tablet");
        assertThat(phone.pushes()).isEmpty();
        PushReply both = pushTo(toUser("alice", "to both"));
        assertThat(both.getOutcomesList()).extracting(DeviceOutcome::getOutcome)
                .containsExactly(Outcome.DELIVERED, Outcome.DELIVERED);
    }

    @Test
    void clientTypeFilter_forSmartphones_skipsFeaturePhones() {
        online(connect(), "alice", "phone");
        PushReply reply = pushTo(PushRequest.newBuilder()
                .setUser(UserTarget.newBuilder().setUserId("alice").addClientTypes(ClientType.CLIENT_TYPE_WS))
                .setPayload(ByteString.copyFromUtf8("x")));
        assertThat(reply.getOutcomesList()).isEmpty();
    }

    @Test
    void deviceThatLeft_isReportedOffline() throws Exception {
        TcpDeviceClient device = connect();
        TcpHelloAck ack = online(device, "alice", "phone-1");
        device.bye(StatusCode.OK, "bye");
        await().atMost(WAIT).until(() -> pushTo(toUser("alice", "x")).getOutcomesCount() == 0);
        PushReply byDevice = pushTo(PushRequest.newBuilder()
                .setDevice(DeviceTarget.newBuilder().setUserId("alice").setDeviceId("phone-1"))
                .setPayload(ByteString.copyFromUtf8("x")));
        assertThat(byDevice.getOutcomes(0).getOutcome()).isEqualTo(Outcome.OFFLINE);
        PushReply byConn = pushTo(PushRequest.newBuilder()
                .setConnection(ConnectionTarget.newBuilder().setConnId(ack.getConnId()))
                .setPayload(ByteString.copyFromUtf8("x")));
        assertThat(byConn.getOutcomes(0).getOutcome()).isEqualTo(Outcome.OFFLINE);
    }

    @Test
    void reconnectingDevice_replacesItsOldConnection_andStatusFollowsTheNewOne() throws Exception {
        TcpDeviceClient old = connect();
        online(old, "alice", "phone-1");
        TcpDeviceClient fresh = connect();
        TcpHelloAck freshAck = online(fresh, "alice", "phone-1");
        assertThat(old.byeReceived().orTimeout(10, TimeUnit.SECONDS).join().getCode()).isEqualTo(StatusCode.REPLACED);
        old.closed().orTimeout(10, TimeUnit.SECONDS).join();
        // The old connection's late disconnect must not hide the new one.
        await().atMost(WAIT).until(() -> gateway.edge().registry().size() == 1);
        PushReply reply = pushTo(toUser("alice", "x"));
        assertThat(reply.getOutcomesList()).extracting(DeviceOutcome::getConnId).containsExactly(freshAck.getConnId());
        assertThat(reply.getOutcomes(0).getOutcome()).isEqualTo(Outcome.DELIVERED);
    }

    @Test
    void badDevices_getTheirCodes_andNeverAffectAGoodOne() throws Exception {
        TcpDeviceClient good = connect();
        online(good, "alice", "phone-1");

        TcpDeviceClient garbage = connect();
        garbage.sendRaw(HexFormat.of().parseHex("ff00010000"));
        TcpDeviceClient oversized = connect();
        oversized.sendRaw(HexFormat.of().parseHex("0a0001ffff"));
        TcpDeviceClient dataFirst = connect();
        int dataStatus = dataFirst.request(1001, "hi".getBytes(), "").orTimeout(10, TimeUnit.SECONDS).join().getStatus();
        TcpDeviceClient expired = connect();
        String expiredToken = DevTokens.mint(SECRET, "eve", null, Duration.ofHours(1),
                Clock.fixed(Instant.now().minus(Duration.ofHours(3)), ZoneOffset.UTC));
        CompletionException refused = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> expired.hello(expiredToken, "d", "").orTimeout(10, TimeUnit.SECONDS).join());

        assertThat(garbage.byeReceived().orTimeout(10, TimeUnit.SECONDS).join().getCode()).isEqualTo(StatusCode.BAD_REQUEST);
        assertThat(oversized.byeReceived().orTimeout(10, TimeUnit.SECONDS).join().getCode()).isEqualTo(StatusCode.TOO_LARGE);
        assertThat(dataStatus).isEqualTo(StatusCode.UNAUTHORIZED);
        assertThat(((ByeException) refused.getCause()).code()).isEqualTo(StatusCode.UNAUTHORIZED);

        PushReply reply = pushTo(toUser("alice", "still fine").setWaitAck(true));
        assertThat(reply.getOutcomes(0).getOutcome()).isEqualTo(Outcome.ACKNOWLEDGED);
        assertThat(pushTo(toUser("eve", "x")).getOutcomesList()).isEmpty();
    }

    @Test
    void invalidPush_isInvalidArgumentWithADescription() {
        assertThatThrownBy(() -> pushTo(PushRequest.newBuilder().setPayload(ByteString.copyFromUtf8("x"))))
                .isInstanceOf(StatusRuntimeException.class)
                .satisfies(e -> {
                    Status status = ((StatusRuntimeException) e).getStatus();
                    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(status.getDescription()).isEqualTo("target: none (expected: user, device or connection)");
                });
    }

    @Test
    void pushTooLarge_isInvalidArgumentNamingThePayload_upToTheMessageLimitThatClusterControlPlanesShare() {
        int limit = PushLimits.DEFAULTS.maxInboundMessageBytes();
        assertThatThrownBy(() -> pushTo(toUser("alice", "").setPayload(ByteString.copyFrom(new byte[200 * 1024]))))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).isEqualTo("payload: 204800 bytes (expected: 1..65535)");
                });
        assertThatThrownBy(() -> pushTo(toUser("alice", "").setPayload(ByteString.copyFrom(new byte[limit]))))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
    }

    @Test
    void cli_mintsATokenAndPushes_theWayTheQuickstartSays() throws Exception {
        Map<String, String> env = Map.of(DevTokens.SECRET_ENV, SECRET);
        Run token = run(env, "ctl", "token", "--user", "alice", "--device", "phone-1");
        assertThat(token.code).isZero();
        TcpDeviceClient device = connect();
        device.hello(token.out.strip(), "phone-1", "").orTimeout(10, TimeUnit.SECONDS).join();

        String target = "127.0.0.1:" + gateway.grpcAddress().getPort();
        Run pushed = run(env, "ctl", "push", "--target", target, "--user", "alice", "--text", "hi there", "--wait-ack");
        assertThat(pushed.code).isZero();
        assertThat(pushed.out).contains("alice", "phone-1", "tcp", "acknowledged");
        assertThat(new String(device.pushes().poll(10, TimeUnit.SECONDS).payload())).isEqualTo("hi there");

        Run nobody = run(env, "ctl", "push", "--target", target, "--user", "bob", "--text", "x");
        assertThat(nobody.code).isEqualTo(1);
    }

    private static Run run(Map<String, String> env, String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), env);
        return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    private record Run(int code, String out, String err) {
        @Override
        public String toString() {
            return "exit " + code + "\n" + out + err;
        }
    }
}
