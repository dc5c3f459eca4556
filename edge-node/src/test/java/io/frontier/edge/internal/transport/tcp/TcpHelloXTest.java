package io.frontier.edge.internal.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontier.api.v1.Bye;
import io.frontier.api.v1.DeviceOutcome.Outcome;
import io.frontier.api.v1.TcpHello;
import io.frontier.api.v1.TcpHelloAck;
import io.frontier.api.v1.TcpRequest;
import io.frontier.api.v1.TcpResponse;
import io.frontier.edge.EdgeConfig;
import io.frontier.edge.EmbeddedSessions;
import io.frontier.edge.Tokens;
import io.frontier.edge.internal.auth.HelloXKeys;
import io.frontier.edge.internal.session.PushMessage;
import io.frontier.edge.internal.session.PushResult;
import io.frontier.edge.internal.session.SessionRegistry;
import io.frontier.edge.session.Session;
import io.frontier.edge.session.SessionListener;
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
import io.netty.channel.embedded.EmbeddedChannel;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * HelloX (PROTOCOL.md 1.6) on one connection, through EmbeddedChannel: the handshake, sealed frames both
 * ways, and each refusal with its code, sealed or plain as the spec says. The device's side is the api
 * module's NoiseNk and FrameCipher; the black-box suite drives the edge with an implementation of its own.
 */
class TcpHelloXTest {
    private static final SecureRandom RANDOM = new SecureRandom();
    private final byte[] serverStatic = X25519.generatePrivate(RANDOM);
    private final byte[] serverPublic = X25519.publicKey(serverStatic);
    private final byte[] keyId = HelloX.keyId(serverPublic);
    private final SessionRegistry registry = EmbeddedSessions.registry();
    private EmbeddedChannel channel;
    private FrameCipher toServer;
    private FrameCipher fromServer;

    @BeforeEach
    void open() {
        SessionListener quiet = new SessionListener() {
            @Override
            public void onConnected(Session session) {
            }

            @Override
            public void onDisconnected(Session session, int code, String reason) {
            }
        };
        channel = new EmbeddedChannel(new TcpSessionHandler(EmbeddedSessions.context(
                EdgeConfig.builder().jwtSecret(Tokens.SECRET).build(), registry, quiet,
                HelloXKeys.of(List.of(X25519.generatePrivate(RANDOM), serverStatic)))));
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    @Test
    void handshake_thenPushPingAndDataTravelSealed() throws Exception {
        TcpHelloAck ack = helloX(Tokens.valid("u1", "d1"), "d1");
        assertThat(ack.getUserId()).isEqualTo("u1");

        CompletableFuture<PushResult> push = registry.byConnId(ack.getConnId())
                .push(new PushMessage(Unpooled.wrappedBuffer("hi".getBytes()), "", 0, 0), 5000);
        Frame frame = sealedFrame();
        assertThat(frame.cmd).isEqualTo(TcpCommand.PUSH);
        assertThat(new String(frame.payload)).isEqualTo("hi");
        sendSealed(TcpCommand.ACK, frame.seq, new byte[0]);
        assertThat(push.get(1, TimeUnit.SECONDS).outcome()).isEqualTo(Outcome.ACKNOWLEDGED);

        sendSealed(TcpCommand.PING, 7, new byte[0]);
        Frame pong = sealedFrame();
        assertThat(pong.cmd).isEqualTo(TcpCommand.PING);
        assertThat(pong.seq).isEqualTo(7);
        assertThat(pong.payload).isEmpty();

        sendSealed(TcpCommand.DATA, 8, TcpRequest.newBuilder().setService(1001).build().toByteArray());
        Frame reply = sealedFrame();
        assertThat(reply.cmd).isEqualTo(TcpCommand.DATA);
        assertThat(TcpResponse.parseFrom(reply.payload).getStatus()).isEqualTo(StatusCode.NOT_FOUND);
        assertThat(channel.isActive()).isTrue();
    }

    @Test
    void tamperedFrame_getsSealedBye400() throws Exception {
        helloX(Tokens.valid("u1", "d1"), "d1");
        ByteBuf out = Unpooled.buffer();
        toServer.seal(TcpCommand.PING, 7, Unpooled.EMPTY_BUFFER, out);
        out.setByte(out.writerIndex() - 1, out.getByte(out.writerIndex() - 1) ^ 1);
        channel.writeInbound(out);
        assertSealedBye(StatusCode.BAD_REQUEST);
    }

    @Test
    void replayedFrame_getsSealedBye400() throws Exception {
        helloX(Tokens.valid("u1", "d1"), "d1");
        ByteBuf out = Unpooled.buffer();
        toServer.seal(TcpCommand.PING, 7, Unpooled.EMPTY_BUFFER, out);
        channel.writeInbound(out.copy());
        assertThat(sealedFrame().cmd).isEqualTo(TcpCommand.PING);
        channel.writeInbound(out);
        assertSealedBye(StatusCode.BAD_REQUEST);
    }

    @Test
    void plainFrameAfterTheAnswer_getsSealedBye400() throws Exception {
        helloX(Tokens.valid("u1", "d1"), "d1");
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {TcpCommand.PING, 0, 7, 0, 0}));
        assertSealedBye(StatusCode.BAD_REQUEST);
    }

    @Test
    void secondHello_sealed_getsSealedBye400() throws Exception {
        helloX(Tokens.valid("u1", "d1"), "d1");
        sendSealed(TcpCommand.HELLO_X, 2, new byte[60]);
        assertSealedBye(StatusCode.BAD_REQUEST);
    }

    @Test
    void refusedToken_getsSealedBye401() throws Exception {
        handshake();
        sendSealed(TcpCommand.HELLO, 1, hello("not-a-token", "d1"));
        assertSealedBye(StatusCode.UNAUTHORIZED);
    }

    @Test
    void pingBeforeTheSealedHello_isAnsweredSealed_andDataGets401() throws Exception {
        handshake();
        sendSealed(TcpCommand.PING, 3, new byte[0]);
        assertThat(sealedFrame().cmd).isEqualTo(TcpCommand.PING);
        sendSealed(TcpCommand.DATA, 4, TcpRequest.newBuilder().setService(1).build().toByteArray());
        assertThat(TcpResponse.parseFrom(sealedFrame().payload).getStatus()).isEqualTo(StatusCode.UNAUTHORIZED);
    }

    @Test
    void replayedHelloX_getsAnAnswerNoOneCanUse() throws Exception {
        byte[] recorded = request(serverPublic, keyId, 1);
        send(TcpCommand.HELLO_X, 1, recorded);
        ByteBuf answer = channel.readOutbound();
        assertThat(answer.getUnsignedByte(0)).isEqualTo((short) TcpCommand.HELLO_X);
        answer.release();
        // Whoever replays it has no ephemeral key: whatever it seals does not open, and nothing went online.
        byte[] forged = new byte[32];
        toServer = new FrameCipher(forged);
        fromServer = new FrameCipher(forged);
        ByteBuf out = Unpooled.buffer();
        toServer.seal(TcpCommand.HELLO, 1, Unpooled.wrappedBuffer(hello(Tokens.valid("u1", "d1"), "d1")), out);
        channel.writeInbound(out);
        ByteBuf bye = channel.readOutbound();
        assertThat(bye.getUnsignedByte(0)).isEqualTo((short) TcpCommand.BYE);
        bye.release();
        assertThat(registry.size()).isZero();
    }

    @Test
    void keyTheEdgeDoesNotHold_getsPlainBye401() throws Exception {
        byte[] other = X25519.publicKey(X25519.generatePrivate(RANDOM));
        send(TcpCommand.HELLO_X, 1, request(other, HelloX.keyId(other), 1));
        assertPlainBye(StatusCode.UNAUTHORIZED);
    }

    @Test
    void messageThatDoesNotDecrypt_getsPlainBye401() throws Exception {
        byte[] payload = request(serverPublic, keyId, 1);
        payload[payload.length - 1] ^= 1;
        send(TcpCommand.HELLO_X, 1, payload);
        assertPlainBye(StatusCode.UNAUTHORIZED);
    }

    @Test
    void ephemeralKeyOfSmallOrder_getsPlainBye401() throws Exception {
        byte[] payload = request(serverPublic, keyId, 1);
        Arrays.fill(payload, HelloX.PREFIX_LENGTH, HelloX.PREFIX_LENGTH + X25519.KEY_LENGTH, (byte) 0);
        send(TcpCommand.HELLO_X, 1, payload);
        assertPlainBye(StatusCode.UNAUTHORIZED);
    }

    @Test
    void otherVersion_getsBye501_evenWhenShort_andOtherLengths400() throws Exception {
        send(TcpCommand.HELLO_X, 1, new byte[] {2});
        assertPlainBye(StatusCode.NOT_IMPLEMENTED);
        for (int length : new int[] {0, 1, HelloX.REQUEST_LENGTH - 1, HelloX.REQUEST_LENGTH + 1}) {
            close();
            open();
            byte[] payload = new byte[length];
            if (length > 0) {
                payload[0] = HelloX.VERSION;
            }
            send(TcpCommand.HELLO_X, 1, payload);
            assertPlainBye(StatusCode.BAD_REQUEST);
        }
    }

    @Test
    void helloXAfterPlainHello_getsBye400() throws Exception {
        send(TcpCommand.HELLO, 1, hello(Tokens.valid("u1", "d1"), "d1"));
        ByteBuf answer = channel.readOutbound();
        answer.release();
        send(TcpCommand.HELLO_X, 2, request(serverPublic, keyId, 1));
        assertPlainBye(StatusCode.BAD_REQUEST);
    }

    /** Says HelloX, reads the answer, then says the sealed Hello and returns its sealed reply. */
    private TcpHelloAck helloX(String token, String device) throws Exception {
        handshake();
        sendSealed(TcpCommand.HELLO, 1, hello(token, device));
        Frame reply = sealedFrame();
        assertThat(reply.cmd).isEqualTo(TcpCommand.HELLO);
        assertThat(reply.seq).isEqualTo(1);
        return TcpHelloAck.parseFrom(reply.payload);
    }

    private void handshake() throws Exception {
        NoiseNk.Initiator initiator = NoiseNk.initiator(HelloX.prologue(HelloX.VERSION, keyId), serverPublic,
                X25519.generatePrivate(RANDOM));
        send(TcpCommand.HELLO_X, 9, HelloX.request(keyId, initiator.writeMessage1(new byte[0])));
        ByteBuf out = channel.readOutbound();
        assertThat(out).as("the HelloX answer").isNotNull();
        try {
            assertThat(out.readUnsignedByte()).isEqualTo((short) TcpCommand.HELLO_X);
            assertThat(out.readUnsignedShort()).isEqualTo(9);
            assertThat(out.readUnsignedShort()).isEqualTo(HelloX.ANSWER_LENGTH);
            assertThat(initiator.readMessage2(ByteBufUtil.getBytes(out))).isEmpty();
            NoiseNk.Keys keys = initiator.split();
            toServer = new FrameCipher(keys.send());
            fromServer = new FrameCipher(keys.receive());
        } finally {
            out.release();
        }
    }

    private static byte[] hello(String token, String device) {
        return TcpHello.newBuilder().setToken(token).setDeviceId(device).build().toByteArray();
    }

    private static byte[] request(byte[] pinned, byte[] keyId, int version) throws Exception {
        NoiseNk.Initiator initiator = NoiseNk.initiator(HelloX.prologue(version, keyId), pinned,
                X25519.generatePrivate(RANDOM));
        return HelloX.request(keyId, initiator.writeMessage1(new byte[0]));
    }

    private void send(int cmd, int seq, byte[] payload) {
        ByteBuf frame = Unpooled.buffer().writeByte(cmd).writeShort(seq).writeShort(payload.length).writeBytes(payload);
        channel.writeInbound(frame);
    }

    private void sendSealed(int cmd, int seq, byte[] payload) throws Exception {
        ByteBuf out = Unpooled.buffer();
        toServer.seal(cmd, seq, Unpooled.wrappedBuffer(payload), out);
        channel.writeInbound(out);
    }

    private record Frame(int cmd, int seq, byte[] payload) {
    }

    private Frame sealedFrame() throws Exception {
        ByteBuf out = channel.readOutbound();
        assertThat(out).as("a frame from the server").isNotNull();
        try {
            int cmd = out.readUnsignedByte();
            int seq = out.readUnsignedShort();
            int length = out.readUnsignedShort();
            assertThat(out.readableBytes()).isEqualTo(length);
            ByteBuf plain = fromServer.open(cmd, seq, out, UnpooledByteBufAllocator.DEFAULT);
            try {
                return new Frame(cmd, seq, ByteBufUtil.getBytes(plain));
            } finally {
                plain.release();
            }
        } finally {
            out.release();
        }
    }

    private void assertSealedBye(int code) throws Exception {
        Frame bye = sealedFrame();
        assertThat(bye.cmd).isEqualTo(TcpCommand.BYE);
        assertThat(Bye.parseFrom(bye.payload).getCode()).isEqualTo(code);
        channel.runPendingTasks();
        assertThat(channel.isActive()).isFalse();
    }

    private void assertPlainBye(int code) throws Exception {
        ByteBuf out = channel.readOutbound();
        assertThat(out).as("a Bye").isNotNull();
        try {
            assertThat(out.readUnsignedByte()).isEqualTo((short) TcpCommand.BYE);
            out.skipBytes(4);
            assertThat(Bye.parseFrom(ByteBufUtil.getBytes(out)).getCode()).isEqualTo(code);
        } finally {
            out.release();
        }
        assertThat(registry.size()).isZero();
        assertThat((Object) channel.readOutbound()).as("nothing after the Bye").isNull();
    }
}
