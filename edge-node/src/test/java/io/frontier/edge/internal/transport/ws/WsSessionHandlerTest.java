package io.frontier.edge.internal.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontier.api.v1.DeviceOutcome.Outcome;
import io.frontier.api.v1.Frame;
import io.frontier.edge.EdgeConfig;
import io.frontier.edge.EmbeddedSessions;
import io.frontier.edge.Tokens;
import io.frontier.edge.internal.auth.Identity;
import io.frontier.edge.internal.session.PushMessage;
import io.frontier.edge.internal.session.PushResult;
import io.frontier.edge.internal.session.SessionContext;
import io.frontier.edge.internal.session.SessionRegistry;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.WriteBufferWaterMark;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The WebSocket side of a session (PROTOCOL.md 2.2) through EmbeddedChannel: its frames on
 * the frontier.pb sub-protocol, its deadlines on the channel's clock, its pings, and a codec
 * or writes that fail, after which the connection closes rather than hang.
 */
class WsSessionHandlerTest {
    private final SessionRegistry registry = EmbeddedSessions.registry();
    private final List<String> events = new ArrayList<>();
    private EmbeddedChannel channel;

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    /** Opens a connection of alice/phone-1 whose codec fails to encode the frames of {@code failingMethod}. */
    private void upgraded(int failingMethod) {
        SessionContext context = EmbeddedSessions.context(EdgeConfig.builder().jwtSecret(Tokens.SECRET).build(),
                registry, events);
        WsSessionHandler session = new WsSessionHandler(context, name -> new FailingCodec(failingMethod));
        channel = new EmbeddedChannel(session);
        session.authenticated(new Identity("alice", "phone-1"), "");
        channel.pipeline().fireUserEventTriggered(
                new WebSocketServerProtocolHandler.HandshakeComplete("/ws", new DefaultHttpHeaders(), null));
    }

    @Test
    void helloThatDoesNotEncode_closesTheConnection() {
        upgraded(WsMethod.HELLO);
        assertThat(channel.isActive()).isFalse();
        assertThat(events).containsExactly("up alice/phone-1", "down alice/phone-1 500");
    }

    @Test
    void byeThatDoesNotEncode_stillClosesTheConnection() {
        upgraded(WsMethod.BYE);
        readHello();
        registry.forEach(session -> session.close(410, "kicked"));
        assertThat(channel.isActive()).isFalse();
        assertThat(events).containsExactly("up alice/phone-1", "down alice/phone-1 410");
    }

    @Test
    void unexpectedError_whoseByeDoesNotEncode_stillClosesTheConnection() {
        upgraded(WsMethod.BYE);
        readHello();
        channel.pipeline().fireExceptionCaught(new IllegalStateException("a bug"));
        assertThat(channel.isActive()).isFalse();
        assertThat(events).containsExactly("up alice/phone-1", "down alice/phone-1 500");
    }

    @Test
    void pushThatDoesNotEncode_failsAndClosesTheConnection() {
        upgraded(WsMethod.PUSH);
        readHello();
        List<CompletableFuture<PushResult>> pushes = new ArrayList<>();
        registry.forEach(session -> pushes.add(session.push(
                new PushMessage(Unpooled.wrappedBuffer(new byte[] {1}), "", 0, 0), 0)));
        assertThat(pushes).singleElement().satisfies(push ->
                assertThat(push).isCompletedWithValueMatching(r -> r.outcome() == Outcome.FAILED));
        assertThat(channel.isActive()).isFalse();
    }

    @Test
    void closeFrameThatCannotBeWritten_stillClosesTheConnection() {
        upgraded(-1);
        channel.pipeline().addFirst(EmbeddedSessions.failingWrites(msg -> msg instanceof CloseWebSocketFrame));
        readHello();
        registry.forEach(session -> session.close(410, "kicked"));
        assertThat(channel.isActive()).isFalse();
    }

    /** Opens a connection of alice/phone-1 on the frontier.pb sub-protocol, upgraded and online. */
    private void online() {
        upgraded(-1);
        Frame hello = next();
        assertThat(hello.getMethod()).isEqualTo(WsMethod.HELLO);
    }

    private Frame next() {
        WebSocketFrame out = channel.readOutbound();
        assertThat(out).as("a frame from the server").isNotNull();
        try {
            return WsSubprotocol.PB.decode(out);
        } catch (IOException e) {
            throw new AssertionError(e);
        } finally {
            out.release();
        }
    }

    private void send(Frame frame) {
        channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(frame.toByteArray())));
    }

    private static String header(Frame frame, String key) {
        return frame.getHeadersList().stream().filter(h -> h.getKey().equals(key)).findFirst()
                .map(Frame.ExtendedEntry::getValue).orElse(null);
    }

    @Test
    void hello_isTheFirstFrame_withConnIdUserAndPingInterval() {
        upgraded(-1);
        Frame hello = next();
        assertThat(hello.getMethod()).isEqualTo(WsMethod.HELLO);
        assertThat(header(hello, "conn_id")).isEqualTo(registry.byUser("alice").get(0).connId());
        assertThat(header(hello, "user_id")).isEqualTo("alice");
        assertThat(header(hello, "ping_interval_ms")).isEqualTo("30000");
    }

    @Test
    void push_isAPushFrameNumberedFrom1_andItsAckSettlesIt() {
        online();
        CompletableFuture<PushResult> push = registry.byUser("alice").get(0).push(
                new PushMessage(Unpooled.wrappedBuffer(new byte[] {7}), "bytes", 1001, 99), 5000);
        Frame frame = next();
        assertThat(frame.getMethod()).isEqualTo(WsMethod.PUSH);
        assertThat(frame.getSeqid()).isEqualTo(1);
        assertThat(frame.getLogid()).isEqualTo(99);
        assertThat(frame.getService()).isEqualTo(1001);
        assertThat(frame.getPayload().toByteArray()).containsExactly(7);
        send(Frame.newBuilder().setMethod(WsMethod.ACK).setSeqid(1).build());
        assertThat(push).isCompletedWithValueMatching(r -> r.outcome() == Outcome.ACKNOWLEDGED);
    }

    @Test
    void sendMessage_withoutRoute_isAnswered404_withItsSeqidLogidAndService() {
        online();
        send(Frame.newBuilder().setMethod(WsMethod.SEND_MESSAGE).setSeqid(5).setLogid(6).setService(1001).build());
        channel.runPendingTasks();
        Frame reply = next();
        assertThat(reply.getMethod()).isEqualTo(WsMethod.SEND_MESSAGE);
        assertThat(List.of(reply.getSeqid(), reply.getLogid(), (long) reply.getService())).containsExactly(5L, 6L, 1001L);
        assertThat(header(reply, "status")).isEqualTo("404");
    }

    @Test
    void tooManyHeaders_areAnswered400_andTheConnectionStays() {
        online();
        Frame.Builder request = Frame.newBuilder().setMethod(WsMethod.SEND_MESSAGE).setSeqid(5).setService(1001);
        for (int i = 0; i <= WsSessionHandler.MAX_HEADERS; i++) {
            request.addHeaders(Frame.ExtendedEntry.newBuilder().setKey("k" + i).setValue("v"));
        }
        send(request.build());
        assertThat(header(next(), "status")).isEqualTo("400");
        assertThat(channel.isActive()).isTrue();
    }

    @Test
    void anUndecodableFrame_isBye400_thenClose1007() {
        online();
        channel.writeInbound(new BinaryWebSocketFrame(Unpooled.wrappedBuffer(new byte[] {(byte) 0xff, 1})));
        Frame bye = next();
        assertThat(bye.getMethod()).isEqualTo(WsMethod.BYE);
        assertThat(header(bye, "code")).isEqualTo("400");
        CloseWebSocketFrame close = channel.readOutbound();
        assertThat(close.statusCode()).isEqualTo(1007);
        close.release();
        assertThat(channel.isActive()).isFalse();
        assertThat(events).containsExactly("up alice/phone-1", "down alice/phone-1 400");
    }

    @Test
    void theDevicesBye_isAnsweredWithClose1000() {
        online();
        send(Frame.newBuilder().setMethod(WsMethod.BYE)
                .addHeaders(Frame.ExtendedEntry.newBuilder().setKey("code").setValue("201")).build());
        CloseWebSocketFrame close = channel.readOutbound();
        assertThat(close.statusCode()).isEqualTo(1000);
        close.release();
        assertThat(events).containsExactly("up alice/phone-1", "down alice/phone-1 201");
    }

    @Test
    void aSilentDevice_isPingedAfterTheInterval_thenBye408AndClose() {
        online();
        channel.advanceTimeBy(31, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        WebSocketFrame ping = channel.readOutbound();
        assertThat(ping).isInstanceOf(PingWebSocketFrame.class);
        ping.release();

        channel.advanceTimeBy(31, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        Frame bye = next();
        assertThat(header(bye, "code")).isEqualTo("408");
        assertThat(header(bye, "reason")).isEqualTo("no answer to pings");
        CloseWebSocketFrame close = channel.readOutbound();
        assertThat(close.statusCode()).isEqualTo(1008);
        close.release();
    }

    @Test
    void noUpgradeInTime_closesWithoutAFrame() {
        SessionContext context = EmbeddedSessions.context(EdgeConfig.builder().jwtSecret(Tokens.SECRET).build(),
                registry, events);
        channel = new EmbeddedChannel(new WsSessionHandler(context));
        channel.advanceTimeBy(11, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();
        assertThat(channel.isActive()).isFalse();
        assertThat((Object) channel.readOutbound()).isNull();
        assertThat(events).isEmpty();
    }

    @Test
    void pings_getPongsWithTheirData_butNotWhenTheClientDoesNotRead() throws Exception {
        online();
        WsProtocolHandler protocol = new WsProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                .websocketPath("/ws").build(), (WsEndpoint) channel.pipeline().last());
        channel.pipeline().addFirst(protocol);
        // The handshake is over: what the protocol handler added for it goes, as it does after a real one.
        for (String name : channel.pipeline().names()) {
            if (name.contains("Handshake") || name.contains("Utf8")) {
                channel.pipeline().remove(name);
            }
        }
        channel.writeInbound(new PingWebSocketFrame(Unpooled.copiedBuffer("are you there", StandardCharsets.UTF_8)));
        WebSocketFrame pong = channel.readOutbound();
        assertThat(pong).isInstanceOf(PongWebSocketFrame.class);
        assertThat(pong.content().toString(StandardCharsets.UTF_8)).isEqualTo("are you there");
        pong.release();

        channel.pipeline().addFirst(new ChannelOutboundHandlerAdapter() {
            @Override
            public void flush(ChannelHandlerContext ctx) {
                // A client that reads nothing: what is written stays in the outbound buffer.
            }
        });
        channel.config().setWriteBufferWaterMark(new WriteBufferWaterMark(8, 16));
        channel.writeAndFlush(Unpooled.wrappedBuffer(new byte[32]));
        long pending = channel.unsafe().outboundBuffer().totalPendingWriteBytes();
        for (int i = 0; i < 100; i++) {
            channel.writeInbound(new PingWebSocketFrame(Unpooled.copiedBuffer("again", StandardCharsets.UTF_8)));
        }
        assertThat(channel.unsafe().outboundBuffer().totalPendingWriteBytes()).as("no pong queued").isEqualTo(pending);
    }

    private void readHello() {
        WebSocketFrame hello = channel.readOutbound();
        assertThat(hello).as("the HELLO").isNotNull();
        hello.release();
    }

    /** The frontier.pb codec, except that frames of one method fail as if a class did not load. */
    private static final class FailingCodec implements WsCodec {
        private final int failingMethod;

        FailingCodec(int failingMethod) {
            this.failingMethod = failingMethod;
        }

        @Override
        public String wireName() {
            return WsSubprotocol.PB.wireName();
        }

        @Override
        public Frame decode(WebSocketFrame message) throws IOException {
            return WsSubprotocol.PB.decode(message);
        }

        @Override
        public WebSocketFrame encode(Frame frame) {
            if (frame.getMethod() == failingMethod) {
                throw new NoClassDefFoundError("com/google/protobuf/util/JsonFormat (injected by the test)");
            }
            return WsSubprotocol.PB.encode(frame);
        }

        @Override
        public WebSocketFrame encodePush(ByteBufAllocator alloc, long seq, PushMessage message) {
            return encode(PushFrames.frame(seq, message));
        }
    }
}
