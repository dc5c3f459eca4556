package io.frontier.edge.transport.ws;

import io.frontier.edge.auth.Identity;
import io.frontier.edge.session.SessionContext;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;

/**
 * The head of a WebSocket connection's pipeline and the state its handlers share: it
 * counts the connection against the edge's maximum, and notes the time of every read,
 * pings and pongs included, which the heartbeat measures silence from. Event loop only.
 */
final class WsConnection extends ChannelDuplexHandler {
    private final SessionContext context;
    private boolean admitted;
    private long lastReadNanos = System.nanoTime();
    private Identity identity;
    private String appVersion = "";

    WsConnection(SessionContext context) {
        this.context = context;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        admitted = context.tryOpenConnection();
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        lastReadNanos = System.nanoTime();
        ctx.fireChannelRead(msg);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (admitted) {
            admitted = false;
            context.connectionClosed();
        }
        ctx.fireChannelInactive();
    }

    /** Returns whether the edge had room for this connection. */
    boolean admitted() {
        return admitted;
    }

    long lastReadNanos() {
        return lastReadNanos;
    }

    /** Records who authenticated during the upgrade request. */
    void authenticated(Identity identity, String appVersion) {
        this.identity = identity;
        this.appVersion = appVersion;
    }

    Identity identity() {
        return identity;
    }

    String appVersion() {
        return appVersion;
    }
}
