package io.frontier.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.frontier.api.v1.DeliverReply;
import io.frontier.api.v1.DeliverRequest;
import io.frontier.api.v1.DeviceOutcome.Outcome;
import io.frontier.api.v1.EdgeBroadcastReply;
import io.frontier.api.v1.EdgeBroadcastRequest;
import io.frontier.api.v1.EdgeServiceGrpc;
import io.frontier.api.v1.KickRequest;
import io.frontier.api.v1.TcpHelloAck;
import io.frontier.device.TcpDeviceClient;
import io.frontier.protocol.StatusCode;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The edge's gRPC service (Deliver, Broadcast, Kick) over the in-process transport, with real devices. */
class EdgeServiceTest {
    private EdgeFixture fixture;
    private Server server;
    private ManagedChannel channel;
    private EdgeServiceGrpc.EdgeServiceBlockingStub edgeService;

    @BeforeEach
    void start() throws Exception {
        fixture = new EdgeFixture(EdgeFixture.defaults());
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name).directExecutor().addService(fixture.edge.grpcService()).build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        edgeService = EdgeServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        fixture.close();
    }

    private TcpHelloAck online(TcpDeviceClient device, String deviceId) {
        return device.hello(Tokens.valid("alice", null), deviceId, "").orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void deliver_toTwoDevices_reportsEachInRequestOrder() {
        TcpDeviceClient phone = fixture.connect();
        TcpDeviceClient tablet = fixture.connect();
        String phoneConn = online(phone, "phone").getConnId();
        String tabletConn = online(tablet, "tablet").getConnId();
        DeliverReply reply = edgeService.deliver(DeliverRequest.newBuilder()
                .addConnIds(tabletConn).addConnIds("gone").addConnIds(phoneConn)
                .setPayload(ByteString.copyFromUtf8("hello")).setWaitAck(true).setAckTimeoutMs(5000).build());
        assertThat(reply.getOutcomesList()).extracting(o -> o.getConnId() + " " + o.getOutcome())
                .containsExactly(tabletConn + " ACKNOWLEDGED", "gone OFFLINE", phoneConn + " ACKNOWLEDGED");
        assertThat(reply.getOutcomes(0).getDeviceId()).isEqualTo("tablet");
        assertThat(reply.getOutcomes(0).getUserId()).isEqualTo("alice");
        assertThat(reply.getOutcomes(0).getEdgeId()).isEqualTo("edge-1");
    }

    @Test
    void deliver_withoutAckFromTheDevice_timesOut() {
        TcpDeviceClient device = TcpDeviceClient.connect(fixture.clients, fixture.edge.tcpAddress(),
                TcpDeviceClient.Options.builder().autoAck(false).build()).join();
        String conn = online(device, "phone").getConnId();
        DeliverReply reply = edgeService.deliver(DeliverRequest.newBuilder().addConnIds(conn)
                .setPayload(ByteString.copyFromUtf8("x")).setWaitAck(true).setAckTimeoutMs(200).build());
        assertThat(reply.getOutcomes(0).getOutcome()).isEqualTo(Outcome.ACK_TIMEOUT);
        assertThat(reply.getOutcomes(0).getReason()).isEqualTo("no ack within 200 ms");
    }

    @Test
    void deliver_withoutConnIds_isInvalidArgument() {
        assertThatThrownBy(() -> edgeService.deliver(DeliverRequest.newBuilder().build()))
                .isInstanceOf(StatusRuntimeException.class)
                .satisfies(e -> {
                    Status status = ((StatusRuntimeException) e).getStatus();
                    assertThat(status.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(status.getDescription()).isEqualTo("conn_ids: 0 ids (expected: 1..10000)");
                });
    }

    @Test
    void broadcast_writesToEveryDevice_andCounts() {
        TcpDeviceClient phone = fixture.connect();
        TcpDeviceClient tablet = fixture.connect();
        online(phone, "phone");
        online(tablet, "tablet");

        EdgeBroadcastReply reply = edgeService.broadcast(EdgeBroadcastRequest.newBuilder()
                .setPayload(ByteString.copyFromUtf8("news")).build());

        assertThat(reply).isEqualTo(EdgeBroadcastReply.newBuilder().setWritten(2).build());
    }

    @Test
    void broadcast_withAnUnknownClientType_isInvalidArgument() {
        assertThatThrownBy(() -> edgeService.broadcast(EdgeBroadcastRequest.newBuilder()
                        .setPayload(ByteString.copyFromUtf8("news")).addClientTypesValue(9).build()))
                .hasMessage("INVALID_ARGUMENT: client_types: UNRECOGNIZED (expected: CLIENT_TYPE_TCP or CLIENT_TYPE_WS)");
    }

    @Test
    void kick_closesTheDeviceWith410() {
        TcpDeviceClient device = fixture.connect();
        String conn = online(device, "phone").getConnId();
        assertThat(edgeService.kick(KickRequest.newBuilder().setConnId(conn).setCode(410).setReason("admin").build())
                .getFound()).isTrue();
        assertThat(device.byeReceived().orTimeout(10, TimeUnit.SECONDS).join().getCode()).isEqualTo(StatusCode.KICKED);
        await().atMost(Duration.ofSeconds(10)).until(() -> fixture.edge.registry().byConnId(conn) == null);
        assertThat(edgeService.kick(KickRequest.newBuilder().setConnId(conn).setCode(410).build()).getFound()).isFalse();
    }

    @Test
    void kick_withANonErrorCode_isInvalidArgument() {
        assertThatThrownBy(() -> edgeService.kick(KickRequest.newBuilder().setConnId("x").setCode(200).build()))
                .hasMessageContaining("INVALID_ARGUMENT: code: 200");
    }
}
