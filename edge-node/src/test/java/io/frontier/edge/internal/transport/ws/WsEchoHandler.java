package io.frontier.edge.internal.transport.ws;

import io.frontier.edge.internal.auth.Identity;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.TextWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The last handler of the fuzzing echo server: sends every aggregated text or binary
 * message back as one message of the same type, and answers every ping, with no limit. Everything else (pings, closes,
 * protocol violations) is left to the production handlers in front of it.
 */
final class WsEchoHandler extends ChannelInboundHandlerAdapter implements WsEndpoint {
    private Channel channel;

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public int refusal() {
        return 0;
    }

    @Override
    public String refusalReason(int status) {
        return "";
    }

    @Override
    public String authenticated(Identity identity, String appVersion) {
        return null;
    }

    @Override
    public boolean frame() {
        return true;
    }

    @Override
    public void ping(ByteBuf data) {
        channel.writeAndFlush(new PongWebSocketFrame(data));
    }

    private static final Logger log = LoggerFactory.getLogger(WsEchoHandler.class);

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (msg instanceof TextWebSocketFrame text) {
            ctx.write(new TextWebSocketFrame(true, 0, text.content()));
        } else if (msg instanceof BinaryWebSocketFrame binary) {
            ctx.write(new BinaryWebSocketFrame(true, 0, binary.content()));
        } else if (msg instanceof WebSocketFrame other) {
            // The aggregator lets no continuation through; anything else is not ours to echo.
            other.release();
        } else {
            ctx.fireChannelRead(msg);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        // A protocol violation has been answered with a close frame by the handlers in front;
        // whatever else went wrong shows in what the fuzzer saw on the wire.
        log.debug("{}: {}", ctx.channel(), cause.toString());
        ctx.close();
    }

    @Override
    public void channelReadComplete(ChannelHandlerContext ctx) {
        // One flush per read: the suite's many-small-messages cases measure throughput.
        ctx.flush();
        ctx.fireChannelReadComplete();
    }
}
