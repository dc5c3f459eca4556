package io.frontier.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.frontier.api.v1.TcpHelloAck;
import io.frontier.api.v1.TcpResponse;
import io.frontier.cli.DevTokens;
import io.frontier.control.events.EventNotifierConfig;
import io.frontier.control.push.PushLimits;
import io.frontier.device.TcpDeviceClient;
import io.frontier.edge.EdgeConfig;
import io.frontier.example.ExampleBackend;
import io.frontier.protocol.StatusCode;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.frontier.api.v1.Frame;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The README's example: the standalone gateway routes service 1001 to the example backend
 * and sends it connection events, over real sockets.
 */
class ExampleBackendEndToEndTest {
    private static final String SECRET = "end-to-end-secret-of-at-least-32-bytes";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private ExampleBackend backend;
    private Standalone gateway;
    private EventLoopGroup devices;

    @BeforeEach
    void start() throws Exception {
        backend = ExampleBackend.start(0, new PrintStream(printed, true, StandardCharsets.UTF_8));
        String target = "127.0.0.1:" + backend.port();
        gateway = Standalone.start(new StandaloneConfig(EdgeConfig.builder()
                .tcpHost("127.0.0.1").tcpPort(0).wsHost("127.0.0.1").wsPort(0).jwtSecret(SECRET).ioThreads(1).routes(Map.of(1001, target)).build(),
                "127.0.0.1", 0, PushLimits.DEFAULTS, EventNotifierConfig.of(List.of(target))));
        devices = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterEach
    void stop() {
        gateway.close();
        devices.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        backend.close();
    }

    private TcpDeviceClient connect() {
        return TcpDeviceClient.connect(devices, gateway.edge().tcpAddress(), TcpDeviceClient.Options.DEFAULTS).join();
    }

    private static TcpHelloAck hello(TcpDeviceClient device, String user, String deviceId) {
        String token = DevTokens.mint(SECRET, user, deviceId, Duration.ofHours(1), Clock.systemUTC());
        return device.hello(token, deviceId, "1.0").orTimeout(10, TimeUnit.SECONDS).join();
    }

    private List<String> printedLines() {
        return printed.toString(StandardCharsets.UTF_8).lines().toList();
    }

    @Test
    void deviceComingAndGoing_isPrintedByTheBackend_connectThenDisconnect() {
        TcpDeviceClient device = connect();
        String conn = "user=alice device=phone-1 type=tcp conn=" + hello(device, "alice", "phone-1").getConnId()
                + " edge=edge-1";
        await().atMost(WAIT).until(() -> printedLines().size() == 2);

        device.bye(StatusCode.OK, "bye");

        await().atMost(WAIT).until(() -> printedLines().size() == 3);
        assertThat(printedLines()).containsExactly(
                "example backend listening on 127.0.0.1:" + backend.port(),
                "event CONNECTED " + conn,
                "event DISCONNECTED " + conn + " code=200 reason=device said bye: \"bye\"");
    }

    @Test
    void dataToService1001_comesBackFromTheBackend_withStatus200() {
        TcpDeviceClient device = connect();
        hello(device, "alice", "phone-1");

        TcpResponse response = device.request(1001, "ping".getBytes(StandardCharsets.UTF_8), "text/plain")
                .orTimeout(10, TimeUnit.SECONDS).join();

        assertThat(response.getStatus()).isEqualTo(StatusCode.OK);
        assertThat(response.getPayload().toStringUtf8()).isEqualTo("ping");
    }

    @Test
    void sendMessageFromAWebSocketDevice_comesBackWithTheSameSeqid() throws Exception {
        String token = DevTokens.mint(SECRET, "alice", "tablet", Duration.ofHours(1), Clock.systemUTC());
        BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
        WebSocket socket = HttpClient.newHttpClient().newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + gateway.edge().wsAddress().getPort() + "/ws?token=" + token),
                        new WebSocket.Listener() {
                            private final ByteArrayOutputStream message = new ByteArrayOutputStream();

                            @Override
                            public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
                                byte[] bytes = new byte[data.remaining()];
                                data.get(bytes);
                                message.writeBytes(bytes);
                                if (last) {
                                    try {
                                        frames.add(Frame.parseFrom(message.toByteArray()));
                                    } catch (InvalidProtocolBufferException e) {
                                        throw new IllegalStateException(e);
                                    }
                                    message.reset();
                                }
                                webSocket.request(1);
                                return null;
                            }
                        })
                .get(10, TimeUnit.SECONDS);
        try {
            assertThat(frames.poll(10, TimeUnit.SECONDS).getMethod()).isEqualTo(4);
            socket.sendBinary(ByteBuffer.wrap(Frame.newBuilder().setSeqid(7).setLogid(99).setService(1001).setMethod(1)
                    .setPayloadType("text").setPayload(ByteString.copyFromUtf8("hi backend")).build().toByteArray()), true);
            Frame reply = frames.poll(10, TimeUnit.SECONDS);
            assertThat(reply.getSeqid()).isEqualTo(7);
            assertThat(reply.getMethod()).isEqualTo(1);
            assertThat(reply.getPayload().toStringUtf8()).isEqualTo("hi backend");
            assertThat(reply.getHeadersList()).extracting(Frame.ExtendedEntry::getKey, Frame.ExtendedEntry::getValue)
                    .contains(org.assertj.core.groups.Tuple.tuple("status", "200"));
            await().atMost(WAIT).until(() -> printedLines().stream().anyMatch(l -> l.startsWith("event CONNECTED user=alice device=tablet type=ws")));
        } finally {
            socket.abort();
        }
    }
}
