package io.frontier.edge.internal.delivery;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.DeliverRequest;
import io.frontier.api.v1.DeviceOutcome.Outcome;
import io.frontier.api.v1.EdgeBroadcastReply;
import io.frontier.api.v1.EdgeBroadcastRequest;
import io.frontier.api.v1.Frame;
import io.frontier.device.TcpDeviceClient;
import io.frontier.edge.EdgeConfig;
import io.frontier.edge.EdgeFixture;
import io.frontier.edge.Tokens;
import io.frontier.edge.internal.transport.ws.RawWsClient;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Broadcast on a real edge, to feature phones and smartphones connected over sockets. */
class BroadcastEdgeTest {
    private static final int WAIT_SECONDS = 10;

    private final List<AutoCloseable> clients = new ArrayList<>();
    private EdgeFixture fixture;

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable client : clients) {
            client.close();
        }
        if (fixture != null) {
            fixture.close();
        }
    }

    private DeliveryService start(EdgeConfig.Builder config) throws Exception {
        fixture = new EdgeFixture(config);
        return fixture.edge().delivery();
    }

    private TcpDeviceClient tcp(String user) {
        TcpDeviceClient device = fixture.connectTcp();
        clients.add(device);
        device.hello(Tokens.valid(user, null), "phone", "").orTimeout(WAIT_SECONDS, TimeUnit.SECONDS).join();
        return device;
    }

    private RawWsClient ws(String user) throws Exception {
        RawWsClient client = RawWsClient.upgrade(fixture.edge().wsAddress(), "/ws?device_id=browser",
                "Authorization: Bearer " + Tokens.valid(user, null));
        clients.add(client);
        assertThat(client.httpStatus).as(client.httpHead).isEqualTo(101);
        client.read();
        return client;
    }

    private static EdgeBroadcastRequest.Builder request(String text) {
        return EdgeBroadcastRequest.newBuilder().setPayload(ByteString.copyFromUtf8(text));
    }

    private static EdgeBroadcastReply broadcast(DeliveryService delivery, EdgeBroadcastRequest.Builder request) {
        return delivery.broadcast(request.build()).orTimeout(WAIT_SECONDS, TimeUnit.SECONDS).join();
    }

    private static String nextPush(TcpDeviceClient device) throws InterruptedException {
        TcpDeviceClient.Push push = device.pushes().poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(push).as("a push").isNotNull();
        return push.seq() + " " + new String(push.payload(), StandardCharsets.UTF_8);
    }

    private static Frame nextFrame(RawWsClient client) throws Exception {
        RawWsClient.Message message = client.read();
        assertThat(message.opcode()).isEqualTo(RawWsClient.BINARY);
        return Frame.parseFrom(message.payload());
    }

    @Test
    void broadcast_reachesEveryTcpAndWsDevice_withEachConnectionsNextSeq() throws Exception {
        DeliveryService delivery = start(EdgeFixture.defaults());
        TcpDeviceClient alice = tcp("alice");
        TcpDeviceClient bob = tcp("bob");
        RawWsClient carol = ws("carol");
        String aliceConn = fixture.edge().registry().byUser("alice").get(0).connId();
        delivery.deliver(DeliverRequest.newBuilder().addConnIds(aliceConn).setPayload(ByteString.copyFromUtf8("first"))
                .build()).orTimeout(WAIT_SECONDS, TimeUnit.SECONDS).join();
        assertThat(nextPush(alice)).isEqualTo("1 first");

        EdgeBroadcastReply reply = broadcast(delivery, request("to all").setPayloadType("text").setService(7).setLogid(99));

        assertThat(reply).isEqualTo(EdgeBroadcastReply.newBuilder().setWritten(3).build());
        assertThat(nextPush(alice)).isEqualTo("2 to all");
        assertThat(nextPush(bob)).isEqualTo("1 to all");
        Frame push = nextFrame(carol);
        assertThat(push.getSeqid()).isEqualTo(1);
        assertThat(push.getPayload().toStringUtf8()).isEqualTo("to all");
        assertThat(push.getPayloadType()).isEqualTo("text");
        assertThat(push.getService()).isEqualTo(7);
        assertThat(push.getLogid()).isEqualTo(99);
        // The devices acked the broadcast; the edge ignored those acks and still tracks its own.
        assertThat(delivery.deliver(DeliverRequest.newBuilder().addConnIds(aliceConn)
                        .setPayload(ByteString.copyFromUtf8("after")).setWaitAck(true).setAckTimeoutMs(5000).build())
                .orTimeout(WAIT_SECONDS, TimeUnit.SECONDS).join().getOutcomes(0).getOutcome())
                .isEqualTo(Outcome.ACKNOWLEDGED);
    }

    @Test
    void broadcast_toOneClientType_skipsTheOthers() throws Exception {
        DeliveryService delivery = start(EdgeFixture.defaults());
        TcpDeviceClient alice = tcp("alice");
        RawWsClient bob = ws("bob");

        assertThat(broadcast(delivery, request("ws only").addClientTypes(ClientType.CLIENT_TYPE_WS)).getWritten())
                .isEqualTo(1);
        assertThat(nextFrame(bob).getPayload().toStringUtf8()).isEqualTo("ws only");

        assertThat(broadcast(delivery, request("tcp only").addClientTypes(ClientType.CLIENT_TYPE_TCP)).getWritten())
                .isEqualTo(1);
        assertThat(broadcast(delivery, request("both")).getWritten()).isEqualTo(2);
        assertThat(nextPush(alice)).isEqualTo("1 tcp only");
        assertThat(nextPush(alice)).isEqualTo("2 both");
        assertThat(nextFrame(bob).getPayload().toStringUtf8()).isEqualTo("both");
    }

    @Test
    void broadcast_skipsADeviceThatStoppedReading_andCountsIt_whileOthersGetEveryPush() throws Exception {
        DeliveryService delivery = start(EdgeFixture.defaults().writeBufferWaterMarks(1024, 2048));
        TcpDeviceClient reader = tcp("alice");
        ws("stuck");
        byte[] large = new byte[DeliveryService.MAX_PAYLOAD_BYTES];
        EdgeBroadcastReply reply = EdgeBroadcastReply.getDefaultInstance();
        // The socket buffers of the device that reads nothing fill after some megabytes; then its pushes are dropped.
        for (int i = 0; i < 2000 && reply.getSkippedUnwritable() == 0; i++) {
            reply = broadcast(delivery, EdgeBroadcastRequest.newBuilder().setPayload(ByteString.copyFrom(large)));
            TcpDeviceClient.Push push = reader.pushes().poll(WAIT_SECONDS, TimeUnit.SECONDS);
            assertThat(push).as("push %d to the device that reads", i + 1).isNotNull();
            assertThat(push.payload()).hasSize(large.length);
        }
        assertThat(reply).isEqualTo(EdgeBroadcastReply.newBuilder().setWritten(1).setSkippedUnwritable(1).build());
    }

    @Test
    void broadcast_toNoDevice_writesNothing() throws Exception {
        DeliveryService delivery = start(EdgeFixture.defaults());

        assertThat(broadcast(delivery, request("anyone?"))).isEqualTo(EdgeBroadcastReply.getDefaultInstance());
    }

    @Test
    void broadcast_breakingALimit_isRefusedNamingTheField() throws Exception {
        DeliveryService delivery = start(EdgeFixture.defaults());

        assertThatThrownBy(() -> delivery.broadcast(EdgeBroadcastRequest.getDefaultInstance()))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("payload: 0 bytes (expected: 1..65535)");
        assertThatThrownBy(() -> delivery.broadcast(request("x").addClientTypes(ClientType.CLIENT_TYPE_UNSPECIFIED).build()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("client_types: CLIENT_TYPE_UNSPECIFIED (expected: CLIENT_TYPE_TCP or CLIENT_TYPE_WS)");
        assertThatThrownBy(() -> delivery.broadcast(EdgeBroadcastRequest.newBuilder()
                        .setPayload(ByteString.copyFrom(new byte[DeliveryService.MAX_PAYLOAD_BYTES + 1])).build()))
                .hasMessage("payload: 65536 bytes (expected: 1..65535)");
    }
}
