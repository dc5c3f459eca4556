package io.frontier.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.frontier.api.v1.Bye;
import io.frontier.api.v1.DeliverReply;
import io.frontier.api.v1.DeliverRequest;
import io.frontier.api.v1.DeviceOutcome.Outcome;
import io.frontier.api.v1.TcpHelloAck;
import io.frontier.device.ByeException;
import io.frontier.device.TcpDeviceClient;
import io.frontier.protocol.StatusCode;
import java.time.Duration;
import java.util.HexFormat;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The TCP protocol's rules that need a real server: time, several connections, shutdown. */
class TcpEdgeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private EdgeFixture fixture;

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private EdgeFixture start(EdgeConfig.Builder config) throws Exception {
        fixture = new EdgeFixture(config);
        return fixture;
    }

    private static Bye byeOf(TcpDeviceClient device) {
        return device.byeReceived().orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    private static TcpHelloAck hello(TcpDeviceClient device, String user, String deviceId) {
        return device.hello(Tokens.valid(user, null), deviceId, "1.0").orTimeout(10, TimeUnit.SECONDS).join();
    }

    @Test
    void secondConnectionOfADevice_replacesTheFirstWith409() throws Exception {
        start(EdgeFixture.defaults());
        TcpDeviceClient first = fixture.connect();
        TcpHelloAck firstAck = hello(first, "alice", "phone-1");
        TcpDeviceClient second = fixture.connect();
        TcpHelloAck secondAck = hello(second, "alice", "phone-1");
        assertThat(byeOf(first).getCode()).isEqualTo(StatusCode.REPLACED);
        first.closed().orTimeout(10, TimeUnit.SECONDS).join();
        // The device may see the close before the edge's close listener has unregistered it.
        await().atMost(WAIT).until(() -> fixture.edge.registry().byConnId(firstAck.getConnId()) == null);
        assertThat(fixture.edge.registry().byConnId(secondAck.getConnId())).isNotNull();
        assertThat(fixture.edge.registry().byUser("alice")).hasSize(1);
        assertThat(second.isActive()).isTrue();
    }

    @Test
    void garbageFromOneDevice_closesOnlyThatOne() throws Exception {
        start(EdgeFixture.defaults());
        TcpDeviceClient good = fixture.connect();
        TcpHelloAck goodAck = hello(good, "alice", "phone-1");
        TcpDeviceClient bad = fixture.connect();
        hello(bad, "mallory", "evil");
        bad.sendRaw(HexFormat.of().parseHex("deadbeefdeadbeef"));
        assertThat(byeOf(bad).getCode()).isEqualTo(StatusCode.BAD_REQUEST);
        TcpDeviceClient oversized = fixture.connect();
        oversized.sendRaw(HexFormat.of().parseHex("0a0001ffff"));
        assertThat(byeOf(oversized).getCode()).isEqualTo(StatusCode.TOO_LARGE);

        DeliverReply reply = fixture.edge.delivery().deliver(DeliverRequest.newBuilder()
                .addConnIds(goodAck.getConnId())
                .setPayload(ByteString.copyFromUtf8("still here"))
                .setWaitAck(true)
                .setAckTimeoutMs(5000)
                .build()).orTimeout(10, TimeUnit.SECONDS).join();
        assertThat(reply.getOutcomes(0).getOutcome()).isEqualTo(Outcome.ACKNOWLEDGED);
        assertThat(new String(good.pushes().poll(10, TimeUnit.SECONDS).payload())).isEqualTo("still here");
    }

    @Test
    void deviceThatSendsItsHelloToAFullEdge_readsBye429_ratherThanAReset() throws Exception {
        start(EdgeFixture.defaults().maxConnections(1));
        hello(fixture.connect(), "alice", "phone-1");
        TcpDeviceClient second = fixture.connect();
        second.hello(Tokens.valid("bob", null), "phone-1", "1.0");
        assertThat(byeOf(second).getCode()).isEqualTo(StatusCode.TOO_MANY);
        second.closed().orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join();
    }

    @Test
    void connectionsOverTheMaximum_getBye429() throws Exception {
        start(EdgeFixture.defaults().maxConnections(1));
        TcpDeviceClient first = fixture.connect();
        hello(first, "alice", "phone-1");
        TcpDeviceClient second = fixture.connect();
        assertThat(byeOf(second).getCode()).isEqualTo(StatusCode.TOO_MANY);
        assertThat(first.isActive()).isTrue();
    }

    @Test
    void deliver_toUnknownConnection_isOffline() throws Exception {
        start(EdgeFixture.defaults());
        DeliverReply reply = fixture.edge.delivery().deliver(DeliverRequest.newBuilder()
                .addConnIds("nope").setPayload(ByteString.copyFromUtf8("x")).build()).join();
        assertThat(reply.getOutcomes(0).getOutcome()).isEqualTo(Outcome.OFFLINE);
    }

    @Test
    void pushSeq_wrapsFrom65535To1() throws Exception {
        start(EdgeFixture.defaults());
        TcpDeviceClient device = fixture.connect();
        TcpHelloAck ack = hello(device, "alice", "phone-1");
        DeliverRequest push = DeliverRequest.newBuilder().addConnIds(ack.getConnId())
                .setPayload(ByteString.copyFromUtf8("p")).build();
        for (int i = 0; i < 65536; i++) {
            fixture.edge.delivery().deliver(push);
            if (i % 1000 == 999) {
                // Let the device drain before the write buffer fills.
                int expected = i + 1;
                await().atMost(WAIT).until(() -> device.pushes().size() >= expected);
            }
        }
        await().atMost(WAIT).until(() -> device.pushes().size() == 65536);
        int last = 0;
        for (int i = 0; i < 65536; i++) {
            last = device.pushes().poll().seq();
            assertThat(last).isNotZero();
        }
        assertThat(last).isEqualTo(1);
    }

    @Test
    void edgeShutdown_tellsDevicesToReconnectElsewhere() throws Exception {
        start(EdgeFixture.defaults());
        TcpDeviceClient device = fixture.connect();
        hello(device, "alice", "phone-1");
        fixture.edge.close();
        assertThat(byeOf(device).getCode()).isEqualTo(StatusCode.DRAINING);
        fixture.clients.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        fixture = null;
    }

    @Test
    void expiredToken_isRefused401_andTheDeviceNeverGoesOnline() throws Exception {
        start(EdgeFixture.defaults());
        TcpDeviceClient device = fixture.connect();
        CompletionException failure = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class,
                () -> device.hello(Tokens.expired("alice"), "phone-1", "1.0").orTimeout(10, TimeUnit.SECONDS).join());
        assertThat(failure.getCause()).isInstanceOf(ByeException.class);
        assertThat(((ByeException) failure.getCause()).code()).isEqualTo(StatusCode.UNAUTHORIZED);
        assertThat(fixture.events).isEmpty();
    }
}
