package io.frontier.cli;

import io.frontier.protocol.tcp.TcpFrame;
import io.frontier.protocol.tcp.TcpFrameDecoder;
import io.frontier.protocol.tcp.TcpFrameEncoder;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** A TCP edge on loopback that answers each frame from a device with a script, and keeps the frames. */
final class ScriptedEdge implements AutoCloseable {
    /** A frame received from the device, copied so that no buffer outlives the read. */
    record Received(int cmd, int seq, byte[] payload) {
    }

    /** What the edge does on a frame; runs on the connection's event loop. */
    @FunctionalInterface
    interface Script {
        void onFrame(Channel device, Received frame) throws Exception;
    }

    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final Channel server;

    ScriptedEdge(EventLoopGroup group, Script script) {
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        ch.pipeline().addLast(new TcpFrameDecoder(0xFFFF), TcpFrameEncoder.INSTANCE,
                                new SimpleChannelInboundHandler<TcpFrame>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, TcpFrame frame)
                                            throws Exception {
                                        Received copy = new Received(frame.cmd(), frame.seq(), frame.payloadBytes());
                                        received.add(copy);
                                        script.onFrame(ctx.channel(), copy);
                                    }
                                });
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .syncUninterruptibly()
                .channel();
    }

    /** Returns the {@code --target} of this edge. */
    String target() {
        return "127.0.0.1:" + ((InetSocketAddress) server.localAddress()).getPort();
    }

    @Override
    public void close() throws InterruptedException {
        server.close().sync();
    }
}
