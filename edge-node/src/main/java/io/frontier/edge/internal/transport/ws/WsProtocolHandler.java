package io.frontier.edge.internal.transport.ws;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.util.List;

/**
 * Netty's WebSocket handshake and control frames, with every frame counted by the
 * connection's {@link WsEndpoint} before anything else, and pings answered by it:
 * Netty's own handler answers each ping with a pong whether or not the client reads, so
 * a client that pings and never reads would grow the write buffer without bound.
 */
final class WsProtocolHandler extends WebSocketServerProtocolHandler {
    private final WsEndpoint endpoint;

    WsProtocolHandler(WebSocketServerProtocolConfig config, WsEndpoint endpoint) {
        super(config);
        this.endpoint = endpoint;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, WebSocketFrame frame, List<Object> out) throws Exception {
        if (!endpoint.frame()) {
            return;
        }
        if (frame instanceof PingWebSocketFrame) {
            // The decoder releases the frame after this call: the pong keeps a reference of its own.
            endpoint.ping(frame.content().retain());
            return;
        }
        super.decode(ctx, frame, out);
    }
}
