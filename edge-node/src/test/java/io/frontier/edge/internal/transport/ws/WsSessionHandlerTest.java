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
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The session after the upgrade, through EmbeddedChannel, with a codec or writes that fail:
 * whatever fails, the connection closes rather than hang.
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
