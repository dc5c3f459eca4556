package io.frontier.edge.internal.transport.ws;

import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.util.ReferenceCountUtil;

/**
 * Fails the connection with 1002 on a frame whose RSV bits no negotiated extension has
 * taken (RFC 6455 5.2). Netty's frame decoder checks them only while extensions are off;
 * once compression is on it leaves them to the extension decoders, so a client that
 * negotiated no extension could send any RSV bits unchecked. Sits after the extension
 * decoders, which clear the bits they own (RSV1 of permessage-deflate), so any bit still
 * set here belongs to nobody. Like Netty's own validators it answers with the close
 * frame itself, and lets nothing through after it.
 */
final class RsvFrameValidator extends ChannelInboundHandlerAdapter {
    private boolean failed;

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (failed) {
            ReferenceCountUtil.release(frame);
            return;
        }
        if (frame.rsv() == 0) {
            ctx.fireChannelRead(frame);
            return;
        }
        int rsv = frame.rsv();
        frame.release();
        failed = true;
        String reason = "RSV " + rsv + " and no extension negotiated for it";
        if (ctx.channel().isActive()) {
            ctx.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.PROTOCOL_ERROR, reason))
                    .addListener(ChannelFutureListener.CLOSE);
        }
        ctx.fireExceptionCaught(new CorruptedWebSocketFrameException(WebSocketCloseStatus.PROTOCOL_ERROR, reason));
    }
}
