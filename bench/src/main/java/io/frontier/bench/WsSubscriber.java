package io.frontier.bench;

import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import io.netty.util.ReferenceCountUtil;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.function.IntFunction;

/**
 * A device of a plain WebSocket push server (nchan's WebSocket subscriber, the Node {@code ws}
 * server): online once the upgrade is done, and every data frame, text or binary, is one push.
 */
final class WsSubscriber implements LoadGenerator.DeviceAdapter {
    private final IntFunction<String> path;

    /** {@code path} gives device {@code i}'s request path and query, e.g. {@code /sub/d7}. */
    WsSubscriber(IntFunction<String> path) {
        this.path = path;
    }

    @Override
    public void initChannel(Channel ch, InetSocketAddress target, int device) {
        URI uri = URI.create("ws://" + target.getHostString() + ":" + target.getPort() + path.apply(device));
        ch.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(8192),
                new WebSocketClientProtocolHandler(WebSocketClientProtocolConfig.newBuilder().webSocketUri(uri)
                        .handshakeTimeoutMillis(30_000).absoluteUpgradeUrl(false).build()),
                new Frames());
    }

    private static final class Frames extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            if (msg instanceof TextWebSocketFrame || msg instanceof BinaryWebSocketFrame) {
                ctx.fireChannelRead(((io.netty.buffer.ByteBufHolder) msg).content());
            } else {
                ReferenceCountUtil.release(msg);
            }
        }

        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_COMPLETE) {
                ctx.fireUserEventTriggered(LoadGenerator.ONLINE);
            } else if (evt == WebSocketClientProtocolHandler.ClientHandshakeStateEvent.HANDSHAKE_TIMEOUT) {
                ctx.close();
            }
            ctx.fireUserEventTriggered(evt);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
