package io.frontier.edge.internal.transport.tcp;

import io.frontier.edge.internal.session.SessionContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import java.util.function.Supplier;

/**
 * Builds the pipeline of a feature phone's connection: one handler, the session with the
 * frame codec folded in (see {@link TcpSessionHandler}).
 */
public final class TcpServerInitializer extends ChannelInitializer<SocketChannel> {
    private final Supplier<SessionContext> contexts;

    /** Creates an initializer that closes connections arriving while {@code contexts} supplies null. */
    public TcpServerInitializer(Supplier<SessionContext> contexts) {
        this.contexts = contexts;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        SessionContext context = contexts.get();
        if (context == null) {
            ch.close();
            return;
        }
        ch.config().setWriteBufferWaterMark(context.config().sessions().writeBufferWaterMark());
        ch.pipeline().addLast("session", new TcpSessionHandler(context));
    }
}
