package io.frontier.edge.transport.tcp;

import io.frontier.edge.session.SessionContext;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.function.Supplier;

/** The listener of feature phones (PROTOCOL.md section 1). */
public final class TcpServer implements AutoCloseable {
    private final Channel serverChannel;

    private TcpServer(Channel serverChannel) {
        this.serverChannel = serverChannel;
    }

    /**
     * Binds {@code host:port} and serves connections on {@code workers} with the context
     * {@code context} supplies; connections that arrive while it supplies null are closed.
     *
     * @throws IOException when the address cannot be bound
     * @throws InterruptedException when interrupted while binding
     */
    public static TcpServer bind(String host, int port, EventLoopGroup boss, EventLoopGroup workers,
                                 Supplier<SessionContext> context) throws IOException, InterruptedException {
        ChannelFuture bound = new ServerBootstrap()
                .group(boss, workers)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(new TcpServerInitializer(context))
                .bind(host, port)
                .await();
        if (!bound.isSuccess()) {
            Throwable cause = bound.cause();
            throw new IOException("cannot listen on " + host + ":" + port + " for feature phones: " + cause.getMessage(), cause);
        }
        return new TcpServer(bound.channel());
    }

    /** Returns the bound address (the real port when 0 was asked for). */
    public InetSocketAddress localAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** Stops accepting; open connections stay until their event loops shut down. */
    @Override
    public void close() {
        serverChannel.close().syncUninterruptibly();
    }
}
