package io.frontier.edge.transport.tcp;

import io.frontier.edge.session.SessionContext;
import io.frontier.protocol.tcp.TcpFrameDecoder;
import io.frontier.protocol.tcp.TcpFrameEncoder;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import java.util.function.Supplier;

/** Builds the pipeline of a feature phone's connection: codec first, session last. */
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
        ch.config().setWriteBufferWaterMark(context.config().writeBufferWaterMark());
        ch.pipeline()
                .addLast("frameDecoder", new TcpFrameDecoder(context.config().maxTcpPayload()))
                .addLast("frameEncoder", TcpFrameEncoder.INSTANCE)
                .addLast("session", new TcpSessionHandler(context));
    }
}
