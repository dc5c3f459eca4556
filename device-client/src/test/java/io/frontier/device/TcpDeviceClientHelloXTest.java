package io.frontier.device;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontier.api.v1.Bye;
import io.frontier.api.v1.TcpHello;
import io.frontier.api.v1.TcpHelloAck;
import io.frontier.device.FakeEdge.Received;
import io.frontier.device.TcpDeviceClient.Options;
import io.frontier.device.TcpDeviceClient.Push;
import io.frontier.protocol.StatusCode;
import io.frontier.protocol.hellox.FrameCipher;
import io.frontier.protocol.hellox.HelloX;
import io.frontier.protocol.hellox.NoiseNk;
import io.frontier.protocol.hellox.X25519;
import io.frontier.protocol.tcp.TcpCommand;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The client's HelloX (PROTOCOL.md 1.6) against a scripted edge that answers with the api module's responder. */
class TcpDeviceClientHelloXTest {
    private static final long WAIT = FakeEdge.WAIT_SECONDS;
    private static final SecureRandom RANDOM = new SecureRandom();
    private static EventLoopGroup group;

    private final byte[] serverStatic = X25519.generatePrivate(RANDOM);
    private final byte[] serverPublic = X25519.publicKey(serverStatic);
    private FakeEdge edge;
    private TcpDeviceClient client;
    private FrameCipher fromDevice;
    private FrameCipher toDevice;

    @BeforeAll
    static void startGroup() {
        group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    }

    @AfterAll
    static void stopGroup() {
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
    }

    @BeforeEach
    void connect() throws Exception {
        edge = new FakeEdge(group);
        client = TcpDeviceClient.connect(group, edge.address(), Options.DEFAULTS).get(WAIT, TimeUnit.SECONDS);
    }

    @AfterEach
    void close() throws Exception {
        client.close();
        client.closed().get(WAIT, TimeUnit.SECONDS);
        edge.close();
    }

    @Test
    void helloX_thenFramesAreSealedBothWays() throws Exception {
        CompletableFuture<TcpHelloAck> hello = client.helloX(serverPublic, "tok", "phone-1", "1.0");
        TcpHello received = answer(TcpHelloAck.newBuilder().setConnId("c-1").setUserId("u").build());
        assertThat(received.getToken()).isEqualTo("tok");
        assertThat(hello.get(WAIT, TimeUnit.SECONDS).getConnId()).isEqualTo("c-1");

        sendSealed(TcpCommand.PUSH, 1, "hi".getBytes(UTF_8));
        Push push = client.pushes().poll(WAIT, TimeUnit.SECONDS);
        assertThat(push).isNotNull();
        assertThat(new String(push.payload(), UTF_8)).isEqualTo("hi");
        Received ack = edge.take();
        assertThat(ack.cmd()).isEqualTo(TcpCommand.ACK);
        assertThat(open(ack)).isEmpty();

        CompletableFuture<Void> ping = client.ping();
        Received sentPing = edge.take();
        assertThat(open(sentPing)).isEmpty();
        sendSealed(TcpCommand.PING, sentPing.seq(), new byte[0]);
        ping.get(WAIT, TimeUnit.SECONDS);
    }

    @Test
    void sealedBye_isRead() throws Exception {
        CompletableFuture<TcpHelloAck> hello = client.helloX(serverPublic, "tok", "phone-1", null);
        answer(TcpHelloAck.newBuilder().setConnId("c-1").build());
        hello.get(WAIT, TimeUnit.SECONDS);
        sendSealed(TcpCommand.BYE, 0, Bye.newBuilder().setCode(StatusCode.KICKED).setReason("bye").build().toByteArray());
        assertThat(client.byeReceived().get(WAIT, TimeUnit.SECONDS).getCode()).isEqualTo(StatusCode.KICKED);
    }

    @Test
    void frameThatDoesNotOpen_getsTheClientsSealedBye400() throws Exception {
        CompletableFuture<TcpHelloAck> hello = client.helloX(serverPublic, "tok", "phone-1", null);
        answer(TcpHelloAck.newBuilder().setConnId("c-1").build());
        hello.get(WAIT, TimeUnit.SECONDS);
        edge.send(TcpCommand.PUSH, 1, new byte[20]);
        Received bye = edge.take();
        assertThat(bye.cmd()).isEqualTo(TcpCommand.BYE);
        assertThat(Bye.parseFrom(open(bye)).getCode()).isEqualTo(StatusCode.BAD_REQUEST);
        client.closed().get(WAIT, TimeUnit.SECONDS);
    }

    @Test
    void sealedByeRefusingTheHello_failsIt() throws Exception {
        CompletableFuture<TcpHelloAck> hello = client.helloX(serverPublic, "bad", "phone-1", null);
        handshake();
        edge.take();
        sendSealed(TcpCommand.BYE, 0, Bye.newBuilder().setCode(StatusCode.UNAUTHORIZED).build().toByteArray());
        assertThat(hello).failsWithin(WAIT, TimeUnit.SECONDS).withThrowableOfType(Exception.class)
                .havingRootCause().isInstanceOf(ByeException.class);
    }

    @Test
    void plainByeBeforeTheAnswer_failsTheHello() throws Exception {
        CompletableFuture<TcpHelloAck> hello = client.helloX(serverPublic, "tok", "phone-1", null);
        edge.take();
        edge.send(TcpCommand.BYE, 0, Bye.newBuilder().setCode(StatusCode.UNAUTHORIZED).build().toByteArray());
        assertThat(hello).failsWithin(WAIT, TimeUnit.SECONDS).withThrowableOfType(Exception.class)
                .havingRootCause().isInstanceOf(ByeException.class);
    }

    /** Reads the device's HelloX as the edge does and answers it, then its sealed Hello with {@code ack}; returns the TcpHello. */
    private TcpHello answer(TcpHelloAck ack) throws Exception {
        handshake();
        Received sealedHello = edge.take();
        assertThat(sealedHello.cmd()).isEqualTo(TcpCommand.HELLO);
        TcpHello hello = TcpHello.parseFrom(open(sealedHello));
        sendSealed(TcpCommand.HELLO, sealedHello.seq(), ack.toByteArray());
        return hello;
    }

    private void handshake() throws Exception {
        Received request = edge.take();
        assertThat(request.cmd()).isEqualTo(TcpCommand.HELLO_X);
        byte[] payload = request.payload();
        assertThat(payload).hasSize(HelloX.REQUEST_LENGTH);
        assertThat(payload[0]).isEqualTo((byte) HelloX.VERSION);
        byte[] keyId = Arrays.copyOfRange(payload, 1, HelloX.PREFIX_LENGTH);
        assertThat(keyId).isEqualTo(HelloX.keyId(serverPublic));
        NoiseNk.Responder responder = NoiseNk.responder(HelloX.prologue(HelloX.VERSION, keyId), serverStatic,
                serverPublic);
        assertThat(responder.readMessage1(Arrays.copyOfRange(payload, HelloX.PREFIX_LENGTH, payload.length))).isEmpty();
        byte[] answer = responder.writeMessage2(new byte[0], X25519.generatePrivate(RANDOM));
        NoiseNk.Keys keys = responder.split();
        fromDevice = new FrameCipher(keys.receive());
        toDevice = new FrameCipher(keys.send());
        edge.send(TcpCommand.HELLO_X, request.seq(), answer);
    }

    private void sendSealed(int cmd, int seq, byte[] plaintext) throws Exception {
        ByteBuf out = Unpooled.buffer();
        toDevice.seal(cmd, seq, Unpooled.wrappedBuffer(plaintext), out);
        edge.send(cmd, seq, ByteBufUtil.getBytes(out, FrameCipher.HEADER_LENGTH,
                out.readableBytes() - FrameCipher.HEADER_LENGTH));
    }

    private byte[] open(Received frame) throws Exception {
        ByteBuf plain = fromDevice.open(frame.cmd(), frame.seq(), Unpooled.wrappedBuffer(frame.payload()),
                UnpooledByteBufAllocator.DEFAULT);
        try {
            return ByteBufUtil.getBytes(plain);
        } finally {
            plain.release();
        }
    }
}
