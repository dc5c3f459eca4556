package io.frontier.edge.internal.transport.tcp;

import io.frontier.edge.internal.session.SessionContext;
import io.frontier.edge.internal.transport.SessionInitializer;
import io.netty.channel.socket.SocketChannel;
import java.util.function.Supplier;

/**
 * Builds the pipeline of a feature phone's connection: one handler, the session with the
 * frame codec folded in (see {@link TcpSessionHandler}).
 */
public final class TcpServerInitializer extends SessionInitializer {
    /** Creates an initializer that closes connections arriving while {@code contexts} supplies null. */
    public TcpServerInitializer(Supplier<SessionContext> contexts) {
        super(contexts);
    }

    @Override
    protected void addHandlers(SocketChannel ch, SessionContext context) {
        ch.pipeline().addLast("session", new TcpSessionHandler(context));
    }
}
