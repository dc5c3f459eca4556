package io.frontier.edge.internal.transport;

import io.frontier.edge.internal.session.SessionContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import java.util.function.Supplier;

/**
 * Builds the pipeline of one device connection of a protocol. Connection ids carry the
 * edge's bound address, known only once the listeners are bound: a connection that arrives
 * before the edge's context exists is closed.
 */
public abstract class SessionInitializer extends ChannelInitializer<SocketChannel> {
    private final Supplier<SessionContext> contexts;

    protected SessionInitializer(Supplier<SessionContext> contexts) {
        this.contexts = contexts;
    }

    @Override
    protected final void initChannel(SocketChannel ch) {
        SessionContext context = contexts.get();
        if (context == null) {
            ch.close();
            return;
        }
        ch.config().setWriteBufferWaterMark(context.config().sessions().writeBufferWaterMark());
        addHandlers(ch, context);
    }

    /** Adds the protocol's handlers, codec first, session last. */
    protected abstract void addHandlers(SocketChannel ch, SessionContext context);
}
