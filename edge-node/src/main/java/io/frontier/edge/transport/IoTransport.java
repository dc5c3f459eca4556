package io.frontier.edge.transport;

import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * The I/O transport of the device listeners. Epoll (Linux, native) keeps per-connection
 * heap smaller than NIO, which wraps every socket in several JDK objects (channel,
 * selection key, adaptor, file descriptor, locks); NIO works everywhere.
 */
public enum IoTransport {
    /** Epoll where its native library loads, NIO elsewhere. */
    AUTO,
    EPOLL,
    NIO;

    /**
     * Returns the transport to use: AUTO resolved to EPOLL or NIO.
     *
     * @throws IllegalStateException when EPOLL is asked for and cannot load here
     */
    public IoTransport resolve() {
        return switch (this) {
            case AUTO -> Epoll.isAvailable() ? EPOLL : NIO;
            case EPOLL -> {
                if (!Epoll.isAvailable()) {
                    throw new IllegalStateException("the epoll transport is not available here ("
                            + Epoll.unavailabilityCause() + "); use auto or nio");
                }
                yield EPOLL;
            }
            case NIO -> NIO;
        };
    }

    /** Returns the factory of this transport's event loops. */
    public IoHandlerFactory handlerFactory() {
        return resolve() == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
    }

    /** Returns the server channel class of a resolved transport. */
    public Class<? extends ServerChannel> serverChannel() {
        return resolve() == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    /** Parses a setting: auto, epoll or nio, in any case. */
    public static IoTransport parse(String setting) {
        for (IoTransport t : values()) {
            if (t.name().equalsIgnoreCase(setting)) {
                return t;
            }
        }
        throw new IllegalArgumentException("io transport: " + setting + " (expected: auto, epoll or nio)");
    }
}
