package io.frontier.device;

import static org.assertj.core.api.Assertions.assertThat;

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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A scripted edge on loopback: records every frame a device sends and lets the
 * test answer by hand. Serves one connection.
 */
final class FakeEdge implements AutoCloseable {
    static final long WAIT_SECONDS = 5;

    /** A frame received from the device, copied so that no buffer outlives the read. */
    record Received(int cmd, int seq, byte[] payload) {
    }

    private final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final BlockingQueue<Throwable> errors = new LinkedBlockingQueue<>();
    private final CompletableFuture<Channel> accepted = new CompletableFuture<>();
    private final Channel server;

    FakeEdge(EventLoopGroup group) {
        server = new ServerBootstrap()
                .group(group)
                .channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<Channel>() {
                    @Override
                    protected void initChannel(Channel ch) {
                        accepted.complete(ch);
                        ch.pipeline().addLast(new TcpFrameDecoder(0xFFFF), TcpFrameEncoder.INSTANCE,
                                new SimpleChannelInboundHandler<TcpFrame>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, TcpFrame frame) {
                                        received.add(new Received(frame.cmd(), frame.seq(), frame.payloadBytes()));
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        errors.add(cause);
                                    }
                                });
                    }
                })
                .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0))
                .syncUninterruptibly()
                .channel();
    }

    InetSocketAddress address() {
        return (InetSocketAddress) server.localAddress();
    }

    /** Returns the next frame from the device, failing the test when none comes in time. */
    Received take() throws InterruptedException {
        Received frame = received.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(frame).as("a frame from the device within %ss", WAIT_SECONDS).isNotNull();
        return frame;
    }

    /** Returns the next decoding error, failing the test when none comes in time. */
    Throwable takeError() throws InterruptedException {
        Throwable error = errors.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(error).as("a decoding error within %ss", WAIT_SECONDS).isNotNull();
        return error;
    }

    /** Returns the device's connection as the edge sees it. */
    Channel peer() throws Exception {
        return accepted.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    /** Writes a frame to the device and waits until it is written. */
    void send(int cmd, int seq, byte[] payload) throws Exception {
        peer().writeAndFlush(TcpFrame.of(cmd, seq, payload)).sync();
    }

    @Override
    public void close() throws Exception {
        if (accepted.isDone()) {
            accepted.get().close().sync();
        }
        server.close().sync();
    }
}
