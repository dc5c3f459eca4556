package io.frontier.edge.internal.transport.ws;

import io.frontier.edge.EdgeConfig;
import io.frontier.edge.internal.session.SessionContext;
import io.frontier.edge.internal.transport.SessionInitializer;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.websocketx.WebSocketFrameAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolConfig;
import io.netty.handler.codec.http.websocketx.extensions.compression.WebSocketServerCompressionHandler;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Builds the pipeline of a smartphone's or browser's connection: HTTP,
 * authentication before the upgrade, the WebSocket handshake and codec, message
 * aggregation bounded by the size limit, and the session last.
 */
public final class WsServerInitializer extends SessionInitializer {
    /** The largest HTTP request accepted: an upgrade carries only headers. */
    private static final int MAX_REQUEST_BYTES = 16 * 1024;

    private final Function<SessionContext, WsEndpoint> lastHandler;
    private final WebPage page = WebPage.load();
    // Immutable and the same for every connection of the edge: built on the first, then shared.
    private volatile WebSocketServerProtocolConfig protocolConfig;

    /** Creates an initializer that closes connections arriving while {@code contexts} supplies null. */
    public WsServerInitializer(Supplier<SessionContext> contexts) {
        this(contexts, WsSessionHandler::new);
    }

    /**
     * Creates an initializer whose last handler is not the session: tests put an echo
     * there to fuzz the WebSocket stack with everything else as in production.
     */
    WsServerInitializer(Supplier<SessionContext> contexts, Function<SessionContext, WsEndpoint> lastHandler) {
        super(contexts);
        this.lastHandler = lastHandler;
    }

    @Override
    protected void addHandlers(SocketChannel ch, SessionContext context) {
        addHandlers(ch.pipeline(), context);
    }

    /** Builds the pipeline on any channel: tests fuzz the whole of it on an EmbeddedChannel. */
    void addHandlers(ChannelPipeline pipeline, SessionContext context) {
        EdgeConfig config = context.config();
        WsEndpoint endpoint = lastHandler.apply(context);
        pipeline.addLast("http", new HttpServerCodec(4096, MAX_REQUEST_BYTES, MAX_REQUEST_BYTES))
                .addLast("httpAggregator", new HttpObjectAggregator(MAX_REQUEST_BYTES));
        if (config.ws().compression()) {
            // The inflater may not grow past one message, so a deflate bomb fails as an oversized message.
            pipeline.addLast("compression", new WebSocketServerCompressionHandler(config.ws().maxMessage()));
        }
        pipeline.addLast("upgrade", new WsUpgradeHandler(context, endpoint, page));
        if (config.ws().compression()) {
            // With extensions allowed Netty's decoder no longer checks RSV bits: frames get here past the extension decoders.
            pipeline.addLast("rsvValidator", new RsvFrameValidator());
        }
        pipeline.addLast("websocket", new WsProtocolHandler(protocolConfig(config), endpoint))
                .addLast("messageAggregator", new WebSocketFrameAggregator(config.ws().maxMessage()))
                .addLast("session", endpoint);
    }

    private WebSocketServerProtocolConfig protocolConfig(EdgeConfig config) {
        WebSocketServerProtocolConfig shared = protocolConfig;
        if (shared == null) {
            shared = WebSocketServerProtocolConfig.newBuilder()
                    .websocketPath(WsUpgradeHandler.WS_PATH)
                    .checkStartsWith(true)
                    .subprotocols(WsSubprotocol.OFFERED)
                    .maxFramePayloadLength(config.ws().maxMessage())
                    .allowExtensions(config.ws().compression())
                    .handshakeTimeoutMillis(config.sessions().helloTimeout().toMillis())
                    .closeOnProtocolViolation(true)
                    // Whatever closes a WebSocket here sends its own close frame first (the session's, or the
                    // decoder's and validators' 1002/1007); Netty's default would add a second, 1000 "Bye".
                    .sendCloseFrame(null)
                    .build();
            protocolConfig = shared;
        }
        return shared;
    }
}
