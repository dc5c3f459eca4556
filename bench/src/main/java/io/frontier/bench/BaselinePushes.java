package io.frontier.bench;

import io.frontier.api.v1.Frame;
import io.frontier.api.v1.TcpHello;
import io.frontier.protocol.tcp.TcpCommand;
import io.frontier.protocol.tcp.TcpFrame;
import io.frontier.protocol.tcp.TcpFrameDecoder;
import io.frontier.protocol.tcp.TcpFrameEncoder;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.handler.codec.http.websocketx.BinaryWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The baseline's push path for bench/compare: devices by id (the WebSocket query's
 * {@code device_id}, the TCP Hello's), and an HTTP port where {@code POST /push/ID} writes the
 * body to that device and {@code POST /broadcast} to every WebSocket device, in the frames the
 * gateway writes (a {@code Frame} PUSH in a binary WebSocket frame, a TCP PUSH frame). No
 * session, no acks, no status: what bare Netty costs for the same bytes.
 */
final class BaselinePushes {
    private static final int WS_PUSH = 2;

    private final Map<String, Channel> devices = new ConcurrentHashMap<>();
    private final ChannelGroup wsDevices = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);

    /** Replaces the TCP pipeline's discarding handler: frames, and the Hello's device id. */
    void tcpDevice(ChannelPipeline p) {
        p.addLast(new TcpFrameDecoder(0xFFFF), TcpFrameEncoder.INSTANCE, new TcpRegistrar());
    }

    /** Goes after the WebSocket protocol handler: registers the device once upgraded. */
    ChannelHandler wsRegistrar() {
        return new WsRegistrar();
    }

    /** The HTTP port's pipeline. */
    void control(ChannelPipeline p) {
        p.addLast(new HttpServerCodec(), new HttpObjectAggregator(1 << 16), new Control());
    }

    private void register(String id, Channel ch) {
        devices.put(id, ch);
        ch.closeFuture().addListener(f -> devices.remove(id, ch));
    }

    private final class TcpRegistrar extends SimpleChannelInboundHandler<TcpFrame> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, TcpFrame frame) throws Exception {
            if (frame.cmd() == TcpCommand.HELLO) {
                register(TcpHello.parseFrom(frame.payloadBytes()).getDeviceId(), ctx.channel());
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }

    private final class WsRegistrar extends ChannelInboundHandlerAdapter {
        @Override
        public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
            if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete done) {
                List<String> id = new QueryStringDecoder(done.requestUri()).parameters().get("device_id");
                if (id != null) {
                    register(id.get(0), ctx.channel());
                }
                wsDevices.add(ctx.channel());
            }
            ctx.fireUserEventTriggered(evt);
        }
    }

    private final class Control extends SimpleChannelInboundHandler<FullHttpRequest> {
        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            String path = new QueryStringDecoder(request.uri()).path();
            byte[] body = ByteBufUtil.getBytes(request.content());
            if (path.equals("/broadcast")) {
                BinaryWebSocketFrame frame = new BinaryWebSocketFrame(Unpooled.wrappedBuffer(push(body)));
                int count = wsDevices.size();
                // The group writes a retained duplicate per channel and releases the original once all are written.
                wsDevices.writeAndFlush(frame).addListener(f -> reply(ctx, HttpResponseStatus.OK, "" + count));
            } else if (path.startsWith("/push/")) {
                Channel device = devices.get(path.substring("/push/".length()));
                if (device == null) {
                    reply(ctx, HttpResponseStatus.NOT_FOUND, "no such device");
                    return;
                }
                device.writeAndFlush(wsDevices.contains(device)
                        ? new BinaryWebSocketFrame(Unpooled.wrappedBuffer(push(body)))
                        : TcpFrame.of(TcpCommand.PUSH, 0, body), device.voidPromise());
                reply(ctx, HttpResponseStatus.OK, "written");
            } else {
                reply(ctx, HttpResponseStatus.NOT_FOUND, "no such path");
            }
        }

        private static byte[] push(byte[] payload) {
            return Frame.newBuilder().setMethod(WS_PUSH).setPayload(com.google.protobuf.ByteString.copyFrom(payload))
                    .build().toByteArray();
        }

        private static void reply(ChannelHandlerContext ctx, HttpResponseStatus status, String text) {
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, status,
                    Unpooled.copiedBuffer(text, StandardCharsets.UTF_8));
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, response.content().readableBytes());
            ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE_ON_FAILURE);
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
