package io.frontier.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.DeviceOutcome;
import io.frontier.api.v1.DeviceOutcome.Outcome;
import io.frontier.api.v1.Frame;
import io.frontier.api.v1.PushReply;
import io.frontier.api.v1.PushRequest;
import io.frontier.api.v1.PushServiceGrpc;
import io.frontier.api.v1.UserTarget;
import io.frontier.cli.DevTokens;
import io.frontier.control.push.PushLimits;
import io.frontier.device.TcpDeviceClient;
import io.frontier.edge.EdgeConfig;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One user with a feature phone (TCP) and a smartphone (WebSocket): one push reaches both. */
class MixedProtocolsTest {
    private static final String SECRET = "mixed-protocols-secret-of-32-bytes!!";

    private Standalone gateway;
    private ManagedChannel channel;
    private PushServiceGrpc.PushServiceBlockingStub push;
    private TcpDeviceClient featurePhone;
    private WebSocket smartphone;
    private final BlockingQueue<Frame> smartphoneFrames = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        gateway = Standalone.start(new StandaloneConfig(EdgeConfig.builder()
                .tcpHost("127.0.0.1").tcpPort(0).wsHost("127.0.0.1").wsPort(0).jwtSecret(SECRET).ioThreads(2).build(),
                "127.0.0.1", 0, PushLimits.DEFAULTS, null));
        channel = NettyChannelBuilder.forAddress(gateway.grpcAddress()).usePlaintext().build();
        push = PushServiceGrpc.newBlockingStub(channel);

        featurePhone = TcpDeviceClient.connect(gateway.edge().tcpAddress(), TcpDeviceClient.Options.DEFAULTS).join();
        featurePhone.hello(token("phone"), "phone", "").orTimeout(10, TimeUnit.SECONDS).join();

        URI uri = URI.create("ws://127.0.0.1:" + gateway.edge().wsAddress().getPort() + "/ws?device_id=tablet");
        smartphone = HttpClient.newHttpClient().newWebSocketBuilder()
                .header("Authorization", "Bearer " + token("tablet"))
                .subprotocols("frontier.pb")
                .buildAsync(uri, new FrameCollector()).get(10, TimeUnit.SECONDS);
        Frame hello = smartphoneFrames.poll(10, TimeUnit.SECONDS);
        assertThat(hello.getMethod()).isEqualTo(4);
    }

    @AfterEach
    void stop() throws Exception {
        smartphone.abort();
        featurePhone.close();
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        gateway.close();
    }

    private static String token(String device) {
        return DevTokens.mint(SECRET, "alice", device, Duration.ofHours(1), Clock.systemUTC());
    }

    @Test
    void pushToTheUser_reachesBothDevices_andTheApiReportsBoth() throws Exception {
        PushReply reply = push.withDeadlineAfter(20, TimeUnit.SECONDS).push(PushRequest.newBuilder()
                .setUser(UserTarget.newBuilder().setUserId("alice"))
                .setPayload(ByteString.copyFromUtf8("to every device"))
                .setWaitAck(true).setAckTimeoutMs(5000).build());
        assertThat(reply.getOutcomesList())
                .extracting(DeviceOutcome::getDeviceId, DeviceOutcome::getClientType, DeviceOutcome::getOutcome)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("phone", ClientType.CLIENT_TYPE_TCP, Outcome.ACKNOWLEDGED),
                        org.assertj.core.groups.Tuple.tuple("tablet", ClientType.CLIENT_TYPE_WS, Outcome.ACKNOWLEDGED));
        assertThat(new String(featurePhone.pushes().poll(10, TimeUnit.SECONDS).payload())).isEqualTo("to every device");
    }

    @Test
    void clientTypeFilter_reachesOnlyThatKind() throws Exception {
        PushReply reply = push.withDeadlineAfter(20, TimeUnit.SECONDS).push(PushRequest.newBuilder()
                .setUser(UserTarget.newBuilder().setUserId("alice").addClientTypes(ClientType.CLIENT_TYPE_WS))
                .setPayload(ByteString.copyFromUtf8("smartphones only")).build());
        assertThat(reply.getOutcomesList()).extracting(DeviceOutcome::getDeviceId).containsExactly("tablet");
        Frame pushed = smartphoneFrames.poll(10, TimeUnit.SECONDS);
        assertThat(pushed.getMethod()).isEqualTo(2);
        assertThat(pushed.getPayload().toStringUtf8()).isEqualTo("smartphones only");
        assertThat(featurePhone.pushes()).isEmpty();
    }

    /** Collects the smartphone's frames and acks every push, as a real app does. */
    private final class FrameCollector implements WebSocket.Listener {
        private ByteBuffer partial = ByteBuffer.allocate(0);

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            ByteBuffer joined = ByteBuffer.allocate(partial.remaining() + data.remaining()).put(partial).put(data);
            joined.flip();
            partial = joined;
            if (last) {
                try {
                    Frame frame = Frame.parseFrom(partial);
                    if (frame.getMethod() == 2) {
                        webSocket.sendBinary(ByteBuffer.wrap(Frame.newBuilder().setMethod(3).setSeqid(frame.getSeqid())
                                .build().toByteArray()), true);
                    }
                    smartphoneFrames.add(frame);
                } catch (com.google.protobuf.InvalidProtocolBufferException e) {
                    throw new IllegalStateException(e);
                }
                partial = ByteBuffer.allocate(0);
            }
            webSocket.request(1);
            return null;
        }
    }
}
