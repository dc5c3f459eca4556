package io.frontier.edge.internal.transport.ws;

import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.Frame;
import io.frontier.api.v1.SendMessageReply;
import io.frontier.api.v1.SendMessageRequest;
import io.frontier.api.v1.SendMessageRequestOrBuilder;
import io.frontier.edge.internal.auth.Identity;
import io.frontier.edge.internal.session.DeviceSession;
import io.frontier.edge.internal.session.PushMessage;
import io.frontier.edge.internal.session.SessionContext;
import io.frontier.edge.internal.session.Transport;
import io.frontier.protocol.StatusCode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CodecException;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.PongWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import java.io.IOException;
import java.util.concurrent.RejectedExecutionException;
import java.util.zip.DataFormatException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The smartphone's or browser's side of a session (PROTOCOL.md 2): turns each WebSocket
 * message into a call of its {@link DeviceSession} and the session's answers into
 * {@code Frame}s of the negotiated sub-protocol. Before the upgrade it only lets the
 * upgrade handler ask who may upgrade. One instance per connection; every method runs on
 * the event loop.
 */
final class WsSessionHandler extends ChannelInboundHandlerAdapter implements Transport, WsEndpoint,
        ChannelFutureListener {
    private static final Logger log = LoggerFactory.getLogger(WsSessionHandler.class);
    static final int MAX_HEADERS = 32;
    static final int MAX_HEADER_KEY = 64;
    static final int MAX_HEADER_VALUE = 1024;
    private static final WsClose UNREADABLE = new WsClose(WebSocketCloseStatus.INVALID_PAYLOAD_DATA, true);
    private static final WsClose TOO_BIG = new WsClose(WebSocketCloseStatus.MESSAGE_TOO_BIG, false);
    private static final WsClose BROKEN = new WsClose(WebSocketCloseStatus.PROTOCOL_ERROR, false);

    private final Function<String, WsCodec> codecs;
    private Channel channel;
    private final DeviceSession session;
    private WsCodec subprotocol = WsSubprotocol.PB;
    // Who authenticated during the upgrade request, until the handshake completes.
    private Identity identity;
    private String appVersion = "";

    WsSessionHandler(SessionContext context) {
        this(context, WsSubprotocol::selected);
    }

    /** Creates a session whose codec is {@code codecs} of the negotiated sub-protocol's name. */
    WsSessionHandler(SessionContext context, Function<String, WsCodec> codecs) {
        this.codecs = codecs;
        session = new DeviceSession(context, this);
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        session.open();
        // Not channelInactive: Netty's permessage-deflate decoder throws from its own when what it
        // inflated was corrupt, and the handlers after it never hear of the close. The session would
        // stay registered, counted open, and online for the backends, for ever.
        ctx.channel().closeFuture().addListener(this);
        ctx.fireChannelActive();
    }

    /**
     * The channel closed: the session hears of it once the work at hand is done, as it would from
     * channelInactive, so that an error being handled (a codec's close) still gives the close its code.
     */
    @Override
    public void operationComplete(ChannelFuture closed) {
        try {
            closed.channel().eventLoop().execute(session::closed);
        } catch (RejectedExecutionException stopping) {
            session.closed();
        }
    }

    @Override
    public int refusal() {
        return session.refusal();
    }

    @Override
    public String refusalReason(int status) {
        return session.refusalReason(status);
    }

    @Override
    public String authenticated(Identity identity, String appVersion) {
        String refused = session.userRefusal(identity);
        if (refused == null) {
            this.identity = identity;
            this.appVersion = appVersion;
        }
        return refused;
    }

    @Override
    public boolean frame() {
        return session.frame();
    }

    @Override
    public void ping(ByteBuf data) {
        session.ping(0, data);
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake && identity != null) {
            subprotocol = codecs.apply(handshake.selectedSubprotocol());
            Identity who = identity;
            identity = null;
            session.online(who, appVersion);
        }
        ctx.fireUserEventTriggered(evt);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame message)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (!session.online()) {
                return;
            }
            Frame frame;
            try {
                frame = subprotocol.decode(message);
            } catch (IOException | RuntimeException e) {
                session.protocolError(StatusCode.BAD_REQUEST, "undecodable frame for " + subprotocol.wireName(),
                        UNREADABLE);
                return;
            }
            handle(frame);
        } finally {
            message.release();
        }
    }

    private void handle(Frame frame) {
        switch (frame.getMethod()) {
            case WsMethod.SEND_MESSAGE -> onSendMessage(frame);
            case WsMethod.ACK -> session.ack(frame.getSeqid());
            case WsMethod.BYE -> onDeviceBye(frame);
            case WsMethod.PUSH, WsMethod.HELLO -> session.forbidden(
                    "method " + frame.getMethod() + " is sent by the server only");
            default -> session.protocolError(StatusCode.BAD_REQUEST, "unknown method " + frame.getMethod());
        }
    }

    private void onSendMessage(Frame frame) {
        SendMessageRequest.Builder upstream = SendMessageRequest.newBuilder()
                .setService(frame.getService())
                .setSeqid(frame.getSeqid())
                .setLogid(frame.getLogid());
        String invalid = checkHeaders(frame);
        if (invalid != null) {
            session.reply(upstream, SendMessageReply.newBuilder().setStatus(StatusCode.BAD_REQUEST)
                    .setMessage(invalid).build());
            return;
        }
        session.request(upstream
                .addAllHeaders(frame.getHeadersList())
                .setPayloadEncoding(frame.getPayloadEncoding())
                .setPayloadType(frame.getPayloadType())
                .setPayload(frame.getPayload()));
    }

    private static String checkHeaders(Frame frame) {
        if (frame.getHeadersCount() > MAX_HEADERS) {
            return "more than " + MAX_HEADERS + " headers";
        }
        for (Frame.ExtendedEntry header : frame.getHeadersList()) {
            if (header.getKey().length() > MAX_HEADER_KEY || header.getValue().length() > MAX_HEADER_VALUE) {
                return "header keys are at most " + MAX_HEADER_KEY + " characters, values " + MAX_HEADER_VALUE;
            }
        }
        return null;
    }

    private void onDeviceBye(Frame frame) {
        int code = StatusCode.OK;
        String reason = "";
        for (Frame.ExtendedEntry header : frame.getHeadersList()) {
            if (header.getKey().equals("code")) {
                try {
                    code = Integer.parseInt(header.getValue());
                } catch (NumberFormatException e) {
                    code = StatusCode.OK;
                }
            } else if (header.getKey().equals("reason")) {
                reason = header.getValue();
            }
        }
        session.deviceBye(code, reason);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        int maxMessage = session.context().config().ws().maxMessage();
        if (cause instanceof CorruptedWebSocketFrameException violation) {
            // The frame decoder has already sent its own close frame: record why, and only close.
            boolean tooBig = violation.closeStatus() != null
                    && violation.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code();
            session.closedByCodec(tooBig ? StatusCode.TOO_LARGE : StatusCode.BAD_REQUEST,
                    tooBig ? "message over " + maxMessage + " bytes" : "WebSocket protocol violation: " + cause.getMessage());
        } else if (cause instanceof TooLongFrameException) {
            session.protocolError(StatusCode.TOO_LARGE, "message over " + maxMessage + " bytes", TOO_BIG);
        } else if (cause instanceof DecompressionException || cause.getCause() instanceof DecompressionException) {
            if (notDeflate(cause)) {
                // Not deflate data at all: the message cannot be read, whatever its size.
                session.protocolError(StatusCode.BAD_REQUEST, "message is not valid deflate data", UNREADABLE);
            } else {
                // The inflater is bounded by the message limit: a message that inflates past it is too big.
                session.protocolError(StatusCode.TOO_LARGE, "message inflates past " + maxMessage + " bytes", TOO_BIG);
            }
        } else if (cause instanceof DecoderException && cause.getCause() != null
                && cause.getCause().getClass() == CodecException.class) {
            // How Netty's inflater refuses a compressed message that inflates to nothing ("cannot read
            // uncompressed buffer"): the device's data, not the edge, is at fault.
            session.protocolError(StatusCode.BAD_REQUEST, "undecodable frame for " + subprotocol.wireName(),
                    UNREADABLE);
        } else if (cause instanceof CorruptedFrameException) {
            session.protocolError(StatusCode.BAD_REQUEST, "WebSocket protocol violation: " + cause.getMessage(), BROKEN);
        } else if (cause instanceof IOException io) {
            session.ioFailed(io);
        } else {
            session.unexpected(cause);
        }
    }

    /** Returns whether the inflater failed on data that is not deflate at all (zlib's DataFormatException). */
    private static boolean notDeflate(Throwable cause) {
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof DataFormatException) {
                return true;
            }
        }
        return false;
    }

    // ---- Transport ----

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public ClientType clientType() {
        return ClientType.CLIENT_TYPE_WS;
    }

    @Override
    public String helloName() {
        return "upgrade";
    }

    @Override
    public long maxPushSeq() {
        return Long.MAX_VALUE;
    }

    @Override
    public int maxPushPayload() {
        return Integer.MAX_VALUE;
    }

    @Override
    public ChannelFuture writeHello(DeviceSession online) {
        return write(Frame.newBuilder()
                .setMethod(WsMethod.HELLO)
                .addHeaders(header("conn_id", online.connId()))
                .addHeaders(header("user_id", online.userId()))
                .addHeaders(header("ping_interval_ms", Long.toString(session.context().config().ws().pingInterval().toMillis())))
                .build());
    }

    @Override
    public ChannelFuture writePush(long seq, PushMessage message) {
        return channel.writeAndFlush(subprotocol.encodePush(channel.alloc(), seq, message));
    }

    @Override
    public void writePushUnacked(long seq, PushMessage message) {
        channel.writeAndFlush(subprotocol.encodePush(channel.alloc(), seq, message), channel.voidPromise());
    }

    @Override
    public ChannelFuture writeReply(SendMessageRequestOrBuilder request, SendMessageReply reply) {
        Frame.Builder frame = Frame.newBuilder()
                .setSeqid(request.getSeqid())
                .setLogid(request.getLogid())
                .setService(request.getService())
                .setMethod(WsMethod.SEND_MESSAGE)
                .addHeaders(header("status", Integer.toString(reply.getStatus())))
                .setPayloadType(reply.getPayloadType())
                .setPayload(reply.getPayload());
        if (!reply.getMessage().isEmpty()) {
            frame.addHeaders(header("message", reply.getMessage()));
        }
        frame.addAllHeaders(reply.getHeadersList());
        return write(frame.build());
    }

    @Override
    public ChannelFuture writePong(int seq, ByteBuf data) {
        return channel.writeAndFlush(new PongWebSocketFrame(data));
    }

    @Override
    public ChannelFuture writePing() {
        return channel.writeAndFlush(new PingWebSocketFrame());
    }

    /**
     * Sends a BYE with {@code code}, then the WebSocket close (the status {@code detail} names, or
     * the one that goes with the code). Before the upgrade there is no WebSocket to say it on.
     */
    @Override
    public ChannelFuture writeBye(int code, String reason, boolean online, Object detail) {
        if (!online) {
            return channel.newSucceededFuture();
        }
        WsClose close = detail instanceof WsClose given ? given : null;
        if (close == null || close.withBye()) {
            try {
                channel.write(subprotocol.encode(Frame.newBuilder()
                        .setMethod(WsMethod.BYE)
                        .addHeaders(header("code", Integer.toString(code)))
                        .addHeaders(header("reason", reason))
                        .build()));
            } catch (Throwable encodeFailure) {
                // The close frame below still ends the connection; without it the device would hang.
                log.warn("conn {}: closing without BYE {}: it did not encode: {}", session.label(), code,
                        encodeFailure.toString());
            }
        }
        WebSocketCloseStatus status = close != null ? close.status() : CloseStatus.forBye(code);
        return channel.writeAndFlush(new CloseWebSocketFrame(status, truncate(reason)));
    }

    @Override
    public ChannelFuture acknowledgeDeviceBye() {
        return channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE));
    }

    private ChannelFuture write(Frame frame) {
        return channel.writeAndFlush(subprotocol.encode(frame));
    }

    /** A close frame's reason is at most 123 bytes of UTF-8. */
    private static String truncate(String reason) {
        return reason.length() > 60 ? reason.substring(0, 60) : reason;
    }

    private static Frame.ExtendedEntry header(String key, String value) {
        return Frame.ExtendedEntry.newBuilder().setKey(key).setValue(value).build();
    }
}
