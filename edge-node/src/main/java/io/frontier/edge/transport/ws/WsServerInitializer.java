package io.frontier.edge.transport.ws;

import io.frontier.edge.EdgeConfig;
import io.frontier.edge.session.SessionContext;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import java.util.function.BiFunction;
import java.util.function.Supplier;

/**
 * Builds the pipeline of a smartphone's or browser's connection: read tracking, HTTP,
 * authentication before the upgrade, the WebSocket handshake and codec, message
 * aggregation bounded by the size limit, and the session last.
 */
public final class WsServerInitializer extends ChannelInitializer<SocketChannel> {
    /** The largest HTTP request accepted: an upgrade carries only headers. */
    private static final int MAX_REQUEST_BYTES = 16 * 1024;

    private final Supplier<SessionContext> contexts;
    private final BiFunction<SessionContext, WsConnection, ChannelHandler> lastHandler;
    private final WebPage page = WebPage.load();

    /** Creates an initializer that closes connections arriving while {@code contexts} supplies null. */
    public WsServerInitializer(Supplier<SessionContext> contexts) {
        this(contexts, WsSessionHandler::new);
    }

    /**
     * Creates an initializer whose last handler is not the session: tests put an echo
     * there to fuzz the WebSocket stack with everything else as in production.
     */
    WsServerInitializer(Supplier<SessionContext> contexts, BiFunction<SessionContext, WsConnection, ChannelHandler> lastHandler) {
        this.contexts = contexts;
        this.lastHandler = lastHandler;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        SessionContext context = contexts.get();
        if (context == null) {
            ch.close();
            return;
        }
        EdgeConfig config = context.config();
        ch.config().setWriteBufferWaterMark(config.writeBufferWaterMark());
        WsConnection connection = new WsConnection(context);
        ChannelPipeline pipeline = ch.pipeline();
        pipeline.addLast("connection", connection)
                .addLast("http", new HttpServerCodec(4096, MAX_REQUEST_BYTES, MAX_REQUEST_BYTES))
                .addLast("httpAggregator", new HttpObjectAggregator(MAX_REQUEST_BYTES));
        if (config.wsCompression()) {
            // The inflater may not grow past one message, so a deflate bomb fails as an oversized message.
            pipeline.addLast("compression", new WebSocketServerCompressionHandler(config.maxWsMessage()));
        }
        pipeline.addLast("upgrade", new WsUpgradeHandler(context, connection, page));
        if (config.wsCompression()) {
            // With extensions allowed Netty's decoder no longer checks RSV bits: frames get here past the extension decoders.
            pipeline.addLast("rsvValidator", new RsvFrameValidator());
        }
        pipeline.addLast("websocket", new WebSocketServerProtocolHandler(WebSocketServerProtocolConfig.newBuilder()
                        .websocketPath(WsUpgradeHandler.WS_PATH)
                        .checkStartsWith(true)
                        .subprotocols(WsSubprotocol.OFFERED)
                        .maxFramePayloadLength(config.maxWsMessage())
                        .allowExtensions(config.wsCompression())
                        .handshakeTimeoutMillis(config.helloTimeout().toMillis())
                        .closeOnProtocolViolation(true)
                        // Whatever closes a WebSocket here sends its own close frame first (the session's, or the
                        // decoder's and validators' 1002/1007); Netty's default would add a second, 1000 "Bye".
                        .sendCloseFrame(null)
                        .build()))
                .addLast("messageAggregator", new WebSocketFrameAggregator(config.maxWsMessage()))
                .addLast("session", lastHandler.apply(context, connection));
    }
}
