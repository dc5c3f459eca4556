package io.frontier.edge.internal.transport.ws;

import io.frontier.api.v1.Frame;
import io.frontier.edge.internal.session.PushMessage;
import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import java.io.IOException;

/**
 * How a session turns its {@code Frame}s into WebSocket messages and back: a sub-protocol
 * of {@link WsSubprotocol}, or in tests one that fails as a broken class path would.
 */
interface WsCodec {
    /** Returns the name the handshake negotiates. */
    String wireName();

    /** Returns the Frame of one message. @throws IOException when it does not decode */
    Frame decode(WebSocketFrame message) throws IOException;

    /** Returns the message carrying {@code frame}. */
    WebSocketFrame encode(Frame frame);

    /** Returns the message carrying push {@code seq} of {@code message}; the payload stays the caller's. */
    WebSocketFrame encodePush(ByteBufAllocator alloc, long seq, PushMessage message);
}
