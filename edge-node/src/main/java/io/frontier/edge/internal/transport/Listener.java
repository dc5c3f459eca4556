package io.frontier.edge.internal.transport;

import io.frontier.edge.transport.IoTransport;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import java.io.IOException;
import java.net.InetSocketAddress;

/** One listening socket for devices: the TCP protocol's, or WebSocket's. */
public final class Listener implements AutoCloseable {
    private final Channel serverChannel;

    private Listener(Channel serverChannel) {
        this.serverChannel = serverChannel;
    }

    /**
     * Binds {@code host:port} and serves each accepted connection with {@code initializer}
     * on {@code workers}, whose event loops must be of {@code transport}.
     *
     * @param what names the listener in the error of a failed bind, e.g. "feature phones"
     * @throws IOException when the address cannot be bound
     * @throws InterruptedException when interrupted while binding
     */
    public static Listener bind(String what, String host, int port, IoTransport transport, EventLoopGroup boss,
                                EventLoopGroup workers, ChannelHandler initializer) throws IOException, InterruptedException {
        ChannelFuture bound = new ServerBootstrap()
                .group(boss, workers)
                .channel(transport.serverChannel())
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(initializer)
                .bind(host, port)
                .await();
        if (!bound.isSuccess()) {
            Throwable cause = bound.cause();
            throw new IOException("cannot listen on " + host + ":" + port + " for " + what + ": " + cause.getMessage(), cause);
        }
        return new Listener(bound.channel());
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
