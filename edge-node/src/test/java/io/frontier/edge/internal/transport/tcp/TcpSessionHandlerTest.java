package io.frontier.edge.internal.transport.tcp;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.frontier.api.v1.Bye;
import io.frontier.api.v1.DeviceOutcome.Outcome;
import io.frontier.api.v1.TcpHello;
import io.frontier.api.v1.TcpHelloAck;
import io.frontier.api.v1.TcpRequest;
import io.frontier.api.v1.TcpResponse;
import io.frontier.edge.EdgeConfig;
import io.frontier.edge.EmbeddedSessions;
import io.frontier.edge.Tokens;
import io.frontier.edge.internal.session.DeviceSession;
import io.frontier.edge.internal.session.PushMessage;
import io.frontier.edge.internal.session.PushResult;
import io.frontier.edge.internal.session.SessionContext;
import io.frontier.edge.internal.session.SessionRegistry;
import io.frontier.protocol.StatusCode;
import io.frontier.protocol.tcp.TcpCommand;
import io.frontier.protocol.tcp.TcpFrame;
import io.frontier.protocol.tcp.TcpFrameDecoder;
import io.frontier.protocol.tcp.TcpFrameEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The feature phone's protocol (PROTOCOL.md 1) on one connection, through EmbeddedChannel:
 * its frames and test vectors, cut at any byte, and each rule as TCP says it. The rules
 * themselves are tested once, protocol aside, in {@code DeviceSessionTest}.
 */
class TcpSessionHandlerTest {
    private final SessionRegistry registry = EmbeddedSessions.registry();
    private final List<String> events = new ArrayList<>();
    private EmbeddedChannel channel;

    @BeforeEach
    void open() {
        channel = newChannel(EdgeConfig.builder().jwtSecret(Tokens.SECRET).maxTcpPayload(1024).build());
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private EmbeddedChannel newChannel(EdgeConfig config, ChannelHandler... beforeSession) {
        return newChannel(EmbeddedSessions.context(config, registry, events), beforeSession);
    }

    private EmbeddedChannel newChannel(SessionContext context, ChannelHandler... beforeSession) {
        List<ChannelHandler> handlers = new ArrayList<>(List.of(beforeSession));
        handlers.add(new TcpSessionHandler(context));
        return new EmbeddedChannel(handlers.toArray(ChannelHandler[]::new));
    }

    /** Reopens the channel with writes of {@code cmd} failing as a broken encoder's would. */
    private void failingWritesOf(int cmd) {
        channel.finishAndReleaseAll();
        channel = newChannel(EdgeConfig.builder().jwtSecret(Tokens.SECRET).build(),
                EmbeddedSessions.failingWrites(msg -> cmdOf(msg) == cmd));
    }

    private void send(int cmd, int seq, byte[] payload) {
        channel.writeInbound(new TcpFrameEncoderHelper().encode(cmd, seq, payload));
    }

    private void sendHex(String hex) {
        channel.writeInbound(Unpooled.wrappedBuffer(HexFormat.of().parseHex(hex.replace(" ", ""))));
    }

    private TcpFrame nextFrame() {
        ByteBuf out = channel.readOutbound();
        assertThat(out).as("a frame from the server").isNotNull();
        EmbeddedChannel decoder = new EmbeddedChannel(new TcpFrameDecoder(0xFFFF));
        decoder.writeInbound(out);
        TcpFrame frame = decoder.readInbound();
        decoder.finishAndReleaseAll();
        return frame;
    }

    private Bye expectBye() throws InvalidProtocolBufferException {
        TcpFrame frame = nextFrame();
        try {
            assertThat(frame.cmd()).isEqualTo(TcpCommand.BYE);
            return Bye.parseFrom(frame.payloadBytes());
        } finally {
            frame.release();
        }
    }

    private TcpHelloAck hello(String token, String device) throws InvalidProtocolBufferException {
        send(TcpCommand.HELLO, 1, TcpHello.newBuilder().setToken(token).setDeviceId(device).build().toByteArray());
        TcpFrame frame = nextFrame();
        try {
            assertThat(frame.cmd()).isEqualTo(TcpCommand.HELLO);
            assertThat(frame.seq()).isEqualTo(1);
            return TcpHelloAck.parseFrom(frame.payloadBytes());
        } finally {
            frame.release();
        }
    }

    @Test
    void hello_withValidToken_repliesWithConnIdAndHeartbeat() throws Exception {
        TcpHelloAck ack = hello(Tokens.valid("alice", null), "phone-1");
        assertThat(ack.getUserId()).isEqualTo("alice");
        assertThat(ack.getConnId()).hasSize(28);
        assertThat(ack.getHeartbeatSeconds()).isEqualTo(300);
        assertThat(ack.getServerTimeMs()).isPositive();
        assertThat(registry.byConnId(ack.getConnId())).isNotNull();
        assertThat(events).containsExactly("up alice/phone-1");
        assertThat(channel.isActive()).isTrue();
    }

    @Test
    void helloVector_withTokenT_isRefused401() throws Exception {
        sendHex("01 0001 0006 0a0174 120164");
        Bye bye = expectBye();
        assertThat(bye.getCode()).isEqualTo(StatusCode.UNAUTHORIZED);
        assertThat(channel.isActive()).isFalse();
        assertThat(events).isEmpty();
    }

    /** Found by TcpSessionFuzzTest: a frame whose payload came in two reads was dropped, and the stream with it. */
    @Test
    void dataVector_cutAtAnyByte_isReadWhole() {
        byte[] vector = HexFormat.of().parseHex("0a0002000708e90712026869");
        for (int cut = 1; cut < vector.length; cut++) {
            channel.writeInbound(Unpooled.wrappedBuffer(vector, 0, cut));
            channel.writeInbound(Unpooled.wrappedBuffer(vector, cut, vector.length - cut));
            TcpFrame frame = nextFrame();
            assertThat(frame.cmd()).as("cut after byte %d", cut).isEqualTo(TcpCommand.DATA);
            assertThat(frame.seq()).isEqualTo(2);
            frame.release();
        }
        assertThat(channel.isActive()).isTrue();
    }

    @Test
    void hello_withExpiredToken_getsBye401() throws Exception {
        send(TcpCommand.HELLO, 1, TcpHello.newBuilder().setToken(Tokens.expired("alice")).setDeviceId("d").build().toByteArray());
        Bye bye = expectBye();
        assertThat(bye.getCode()).isEqualTo(StatusCode.UNAUTHORIZED);
        assertThat(bye.getReason()).isEqualTo("token expired");
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void hello_withUserIdHoldingANewline_getsBye401() throws Exception {
        send(TcpCommand.HELLO, 1, TcpHello.newBuilder().setToken(Tokens.valid("ali\nce", null)).setDeviceId("d").build()
                .toByteArray());
        Bye bye = expectBye();
        assertThat(bye.getCode()).isEqualTo(StatusCode.UNAUTHORIZED);
        assertThat(bye.getReason()).isEqualTo("token subject must be a user id of 1 to 128 characters, no control characters");
    }

    @Test
    void hello_withDeviceIdHoldingANul_getsBye401() throws Exception {
        send(TcpCommand.HELLO, 1, TcpHello.newBuilder().setToken(Tokens.valid("alice", null)).setDeviceId("d\u0000")
                .build().toByteArray());
        Bye bye = expectBye();
        assertThat(bye.getCode()).isEqualTo(StatusCode.UNAUTHORIZED);
        assertThat(bye.getReason()).isEqualTo("device id is blank or holds control characters");
    }

    @Test
    void hello_withTokenOfAnotherSecret_getsBye401() throws Exception {
        send(TcpCommand.HELLO, 1, TcpHello.newBuilder()
                .setToken(Tokens.signedWith("another-secret-of-at-least-32-bytes!!", "alice"))
                .setDeviceId("d").build().toByteArray());
        assertThat(expectBye().getCode()).isEqualTo(StatusCode.UNAUTHORIZED);
    }

    @Test
    void hello_withTokenBoundToAnotherDevice_getsBye401() throws Exception {
        send(TcpCommand.HELLO, 1, TcpHello.newBuilder().setToken(Tokens.valid("alice", "phone-2"))
                .setDeviceId("phone-1").build().toByteArray());
        Bye bye = expectBye();
        assertThat(bye.getCode()).isEqualTo(StatusCode.UNAUTHORIZED);
        assertThat(bye.getReason()).isEqualTo("token is for another device");
    }

    @Test
    void hello_withoutDeviceId_usesTheTokensDevice() throws Exception {
        TcpHelloAck ack = hello(Tokens.valid("alice", "phone-9"), "");
        assertThat(registry.byConnId(ack.getConnId()).deviceId()).isEqualTo("phone-9");
    }

    @Test
    void hello_malformedPayload_getsBye400() throws Exception {
        send(TcpCommand.HELLO, 1, new byte[] {(byte) 0xff, (byte) 0xff});
        assertThat(expectBye().getCode()).isEqualTo(StatusCode.BAD_REQUEST);
    }

    @Test
    void secondHello_getsBye400() throws Exception {
        hello(Tokens.valid("alice", null), "phone-1");
        send(TcpCommand.HELLO, 2, TcpHello.newBuilder().setToken(Tokens.valid("alice", null)).setDeviceId("phone-1")
                .build().toByteArray());
        Bye bye = expectBye();
        assertThat(bye.getCode()).isEqualTo(StatusCode.BAD_REQUEST);
        assertThat(bye.getReason()).isEqualTo("second Hello");
        assertThat(channel.isActive()).isFalse();
        assertThat(events).containsExactly("up alice/phone-1", "down alice/phone-1 400");
    }

    @Test
    void ping_beforeAndAfterHello_isAnsweredWithTheSameSeq() throws Exception {
        sendHex("02 0007 0000");
        TcpFrame pong = nextFrame();
        assertThat(pong.cmd()).isEqualTo(TcpCommand.PING);
        assertThat(pong.seq()).isEqualTo(7);
        pong.release();
        hello(Tokens.valid("alice", null), "phone-1");
        send(TcpCommand.PING, 65535, new byte[0]);
        TcpFrame second = nextFrame();
        assertThat(second.seq()).isEqualTo(65535);
        second.release();
    }

    @Test
    void noHelloWithinTheTimeout_isBye408_onTheChannelsClock() throws Exception {
        channel.advanceTimeBy(9, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat((Object) channel.readOutbound()).isNull();
        channel.advanceTimeBy(2, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        Bye bye = expectBye();
        assertThat(bye.getCode()).isEqualTo(StatusCode.TIMEOUT);
        assertThat(bye.getReason()).isEqualTo("no Hello within 10000 ms");
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void aSilentDevice_isBye408Idle_andItsPingsKeepItOnline() throws Exception {
        hello(Tokens.valid("alice", null), "phone-1");
        for (int i = 0; i < 3; i++) {
            channel.advanceTimeBy(15, TimeUnit.MINUTES);
            channel.runScheduledPendingTasks();
            sendHex("02 0001 0000");
            nextFrame().release();
        }
        channel.advanceTimeBy(21, TimeUnit.MINUTES);
        channel.runScheduledPendingTasks();
        Bye bye = expectBye();
        assertThat(bye.getCode()).isEqualTo(StatusCode.TIMEOUT);
        assertThat(bye.getReason()).isEqualTo("idle");
        assertThat(events).containsExactly("up alice/phone-1", "down alice/phone-1 408");
    }

    @Test
    void pingsOfADeviceThatDoesNotRead_areNotQueued_andAFloodIsBye429() throws Exception {
        channel.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
                // A device that reads nothing: what is written stays in the outbound buffer.
            }
        });
        channel.config().setWriteBufferWaterMark(new io.netty.channel.WriteBufferWaterMark(8, 16));
        sendHex("02 0007 0000");
        assertThat(channel.isWritable()).as("the first pong fills the buffer").isFalse();
        long pending = channel.unsafe().outboundBuffer().totalPendingWriteBytes();
        for (int i = 0; i < 18; i++) {
            sendHex("02 0007 0000");
        }
        assertThat(channel.unsafe().outboundBuffer().totalPendingWriteBytes()).as("no pong queued").isEqualTo(pending);
        for (int i = 0; i < 2; i++) {
            sendHex("02 0007 0000");
        }
        assertThat(channel.unsafe().outboundBuffer().totalPendingWriteBytes()).as("only the Bye 429 after 20 frames")
                .isGreaterThan(pending);
        assertThat(channel.isOpen()).as("still open while the Bye waits to be written").isTrue();
        assertThat(channel.config().isAutoRead()).as("nothing more is read after the Bye 429").isFalse();
    }

    @Test
    void null_isIgnored() {
        sendHex("00 0000 0000");
        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(channel.isActive()).isTrue();
    }

    @Test
    void dataBeforeHello_isAnswered401_andTheConnectionStays() throws Exception {
        sendHex("0a 0002 0007 08e907 12026869");
        TcpFrame frame = nextFrame();
        assertThat(frame.cmd()).isEqualTo(TcpCommand.DATA);
        assertThat(frame.seq()).isEqualTo(2);
        assertThat(TcpResponse.parseFrom(frame.payloadBytes()).getStatus()).isEqualTo(StatusCode.UNAUTHORIZED);
        frame.release();
        assertThat(channel.isActive()).isTrue();
    }

    @ParameterizedTest(name = "{0} before Hello")
    @CsvSource({"Ack, 3", "Push, 8"})
    void otherKnownCmdBeforeHello_getsBye401(String name, int cmd) throws Exception {
        send(cmd, 1, new byte[0]);
        assertThat(expectBye().getCode()).isEqualTo(StatusCode.UNAUTHORIZED);
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void helloX_getsBye501() throws Exception {
        send(TcpCommand.HELLO_X, 1, new byte[0]);
        assertThat(expectBye().getCode()).isEqualTo(StatusCode.NOT_IMPLEMENTED);
    }

    @Test
    void proxy_fromAnUntrustedPeer_getsBye400() throws Exception {
        send(TcpCommand.PROXY, 1, new byte[0]);
        assertThat(expectBye().getCode()).isEqualTo(StatusCode.BAD_REQUEST);
    }

    @Test
    void unknownCmd_getsBye400_beforeAndAfterHello() throws Exception {
        sendHex("05 0001 0000");
        assertThat(expectBye().getCode()).isEqualTo(StatusCode.BAD_REQUEST);
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void unknownCmdAfterHello_getsBye400_andGoesOffline() throws Exception {
        hello(Tokens.valid("alice", null), "phone-1");
        sendHex("7f 0001 0000");
        assertThat(expectBye().getCode()).isEqualTo(StatusCode.BAD_REQUEST);
        assertThat(registry.size()).isZero();
        assertThat(events).containsExactly("up alice/phone-1", "down alice/phone-1 400");
    }

    @Test
    void frameOverTheLimit_getsBye413() throws Exception {
        sendHex("0a 0001 0401");
        Bye bye = expectBye();
        assertThat(bye.getCode()).isEqualTo(StatusCode.TOO_LARGE);
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void deviceBye_closesAndReportsItsCode() throws Exception {
        hello(Tokens.valid("alice", null), "phone-1");
        send(TcpCommand.BYE, 0, Bye.newBuilder().setCode(200).setReason("going").build().toByteArray());
        assertThat(channel.isActive()).isFalse();
        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(events).containsExactly("up alice/phone-1", "down alice/phone-1 200");
    }

    @Test
    void push_isNumberedFrom1_andTheAckCompletesIt() throws Exception {
        TcpHelloAck ack = hello(Tokens.valid("alice", null), "phone-1");
        DeviceSession session = registry.byConnId(ack.getConnId());
        CompletableFuture<PushResult> first = session.push(message("one"), 5000);
        CompletableFuture<PushResult> second = session.push(message("two"), 0);
        TcpFrame push1 = nextFrame();
        TcpFrame push2 = nextFrame();
        assertThat(push1.cmd()).isEqualTo(TcpCommand.PUSH);
        assertThat(push1.seq()).isEqualTo(1);
        assertThat(new String(push1.payloadBytes())).isEqualTo("one");
        assertThat(push2.seq()).isEqualTo(2);
        push1.release();
        push2.release();
        assertThat(second).isCompletedWithValueMatching(r -> r.outcome() == Outcome.DELIVERED);
        assertThat(first).isNotDone();
        sendHex("03 0009 0000");
        assertThat(first).isNotDone();
        sendHex("03 0001 0000");
        assertThat(first).isCompletedWithValueMatching(r -> r.outcome() == Outcome.ACKNOWLEDGED);
    }

    @Test
    void pushWaitingForAck_isSettledWhenTheConnectionCloses() throws Exception {
        TcpHelloAck ack = hello(Tokens.valid("alice", null), "phone-1");
        CompletableFuture<PushResult> pending = registry.byConnId(ack.getConnId()).push(message("x"), 5000);
        nextFrame().release();
        channel.close();
        assertThat(pending).isCompletedWithValueMatching(r -> r.outcome() == Outcome.ACK_TIMEOUT
                && r.reason().equals("connection closed before the ack"));
    }

    @Test
    void pushAfterClose_isOffline() throws Exception {
        TcpHelloAck ack = hello(Tokens.valid("alice", null), "phone-1");
        DeviceSession session = registry.byConnId(ack.getConnId());
        channel.close();
        assertThat(session.push(message("x"), 0)).isCompletedWithValueMatching(r -> r.outcome() == Outcome.OFFLINE);
    }

    @Test
    void tooManyUnackedPushes_failTheNextOne() throws Exception {
        channel.finishAndReleaseAll();
        channel = newChannel(EdgeConfig.builder().jwtSecret(Tokens.SECRET).maxPendingAcks(2).build());
        TcpHelloAck ack = hello(Tokens.valid("alice", null), "phone-1");
        DeviceSession session = registry.byConnId(ack.getConnId());
        session.push(message("1"), 5000);
        session.push(message("2"), 5000);
        assertThat(session.push(message("3"), 5000)).isCompletedWithValueMatching(
                r -> r.outcome() == Outcome.FAILED && r.reason().contains("too many unacknowledged"));
    }

    @Test
    void dataWithoutRoute_isAnswered404WithTheSameSeq() throws Exception {
        hello(Tokens.valid("alice", null), "phone-1");
        send(TcpCommand.DATA, 42, TcpRequest.newBuilder().setService(1001)
                .setPayload(ByteString.copyFromUtf8("hi")).build().toByteArray());
        channel.runPendingTasks();
        TcpFrame frame = nextFrame();
        assertThat(frame.cmd()).isEqualTo(TcpCommand.DATA);
        assertThat(frame.seq()).isEqualTo(42);
        TcpResponse response = TcpResponse.parseFrom(frame.payloadBytes());
        frame.release();
        assertThat(response.getStatus()).isEqualTo(StatusCode.NOT_FOUND);
        assertThat(response.getMessage()).isEqualTo("no backend registered for service 1001");
    }

    @Test
    void malformedData_getsBye400() throws Exception {
        hello(Tokens.valid("alice", null), "phone-1");
        send(TcpCommand.DATA, 3, new byte[] {(byte) 0xff});
        assertThat(expectBye().getCode()).isEqualTo(StatusCode.BAD_REQUEST);
    }

    @Test
    void drainingEdge_saysBye503_andClosesOnceTheHelloIsRead() throws Exception {
        channel.finishAndReleaseAll();
        SessionContext draining = EmbeddedSessions.context(EdgeConfig.builder().jwtSecret(Tokens.SECRET).build(),
                registry, events);
        draining.draining(true);
        channel = newChannel(draining);
        Bye bye = expectBye();
        assertThat(bye.getCode()).isEqualTo(StatusCode.DRAINING);
        assertThat(bye.getReason()).isEqualTo("edge is draining: reconnect to another edge");
        assertThat(channel.isActive()).as("open until the Hello is read").isTrue();

        send(TcpCommand.HELLO, 1, TcpHello.newBuilder().setToken(Tokens.valid("alice", null)).setDeviceId("phone-1")
                .build().toByteArray());

        assertThat((Object) channel.readOutbound()).as("nothing after the Bye").isNull();
        assertThat(channel.isActive()).isFalse();
        assertThat(events).isEmpty();
    }

    @Test
    void fullEdge_saysBye429_andClosesOnceTheHelloIsRead() throws Exception {
        channel.finishAndReleaseAll();
        SessionContext full = EmbeddedSessions.context(EdgeConfig.builder().jwtSecret(Tokens.SECRET).maxConnections(1)
                .build(), registry, events);
        EmbeddedChannel holder = newChannel(full);
        channel = newChannel(full);
        try {
            assertThat(expectBye().getCode()).isEqualTo(StatusCode.TOO_MANY);
            sendHex("01 0001 0006 0a0174 120164");
            assertThat(channel.isActive()).isFalse();
            assertThat(holder.isActive()).isTrue();
        } finally {
            holder.finishAndReleaseAll();
        }
    }

    @Test
    void pushWhoseWriteNeverCompletes_failsAfterTheWriteTimeout() throws Exception {
        channel.finishAndReleaseAll();
        channel = newChannel(EdgeConfig.builder().jwtSecret(Tokens.SECRET).build(), new ChannelOutboundHandlerAdapter() {
            @Override
            public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
                if (cmdOf(msg) == TcpCommand.PUSH) {
                    // A socket that takes nothing more: the write stays pending.
                    ReferenceCountUtil.release(msg);
                } else {
                    ctx.write(msg, promise);
                }
            }
        });
        TcpHelloAck ack = hello(Tokens.valid("alice", null), "phone-1");
        channel.freezeTime();
        CompletableFuture<PushResult> push = registry.byConnId(ack.getConnId()).push(message("x"), 0);
        channel.advanceTimeBy(DeviceSession.WRITE_TIMEOUT_MS - 1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
        assertThat(push).isNotDone();

        channel.advanceTimeBy(1, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();

        assertThat(push).isCompletedWithValueMatching(r -> r.outcome() == Outcome.FAILED
                && r.reason().equals("not written within 10000 ms: device is not reading"));
    }

    @Test
    void byeThatCannotBeWritten_stillClosesTheConnection() {
        failingWritesOf(TcpCommand.BYE);
        send(TcpCommand.HELLO_X, 1, new byte[0]);
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void unexpectedError_whoseByeCannotBeWritten_stillClosesTheConnection() throws Exception {
        failingWritesOf(TcpCommand.BYE);
        hello(Tokens.valid("alice", null), "phone-1");
        channel.pipeline().fireExceptionCaught(new IllegalStateException("a bug"));
        assertThat(channel.isActive()).isFalse();
        assertThat(events).containsExactly("up alice/phone-1", "down alice/phone-1 500");
    }

    @Test
    void replyThatCannotBeWritten_closesTheConnection() {
        failingWritesOf(TcpCommand.PING);
        sendHex("02 0007 0000");
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void pushThatCannotBeWritten_failsAndClosesTheConnection() throws Exception {
        failingWritesOf(TcpCommand.PUSH);
        TcpHelloAck ack = hello(Tokens.valid("alice", null), "phone-1");
        CompletableFuture<PushResult> push = registry.byConnId(ack.getConnId()).push(message("x"), 0);
        assertThat(push).isCompletedWithValueMatching(r -> r.outcome() == Outcome.FAILED);
        assertThat(channel.isActive()).isFalse();
        assertThat(events).containsExactly("up alice/phone-1", "down alice/phone-1 500");
    }

    /** Returns the cmd of a frame the session wrote, or -1. */
    private static int cmdOf(Object msg) {
        return msg instanceof ByteBuf frame && frame.isReadable() ? frame.getUnsignedByte(frame.readerIndex()) : -1;
    }

    private static PushMessage message(String text) {
        return new PushMessage(Unpooled.wrappedBuffer(text.getBytes()), "", 0, 0);
    }

    /** Encodes one frame the way a device would. */
    private static final class TcpFrameEncoderHelper {
        ByteBuf encode(int cmd, int seq, byte[] payload) {
            EmbeddedChannel encoder = new EmbeddedChannel(TcpFrameEncoder.INSTANCE);
            encoder.writeOutbound(TcpFrame.of(cmd, seq, payload));
            ByteBuf bytes = encoder.readOutbound();
            encoder.finishAndReleaseAll();
            return bytes;
        }
    }
}
