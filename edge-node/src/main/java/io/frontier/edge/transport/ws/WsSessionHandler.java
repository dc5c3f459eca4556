package io.frontier.edge.transport.ws;

import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.Frame;
import io.frontier.api.v1.SendMessageReply;
import io.frontier.api.v1.SendMessageRequest;
import io.frontier.edge.session.Deadlines;
import io.frontier.edge.session.DeviceTransport;
import io.frontier.edge.session.PushMessage;
import io.frontier.edge.session.Session;
import io.frontier.edge.session.SessionContext;
import io.frontier.edge.session.WriteFailures;
import io.frontier.protocol.StatusCode;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.CorruptedFrameException;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.compression.DecompressionException;
import io.netty.handler.codec.http.websocketx.CloseWebSocketFrame;
import io.netty.handler.codec.http.websocketx.CorruptedWebSocketFrameException;
import io.netty.handler.codec.http.websocketx.PingWebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketCloseStatus;
import io.netty.handler.codec.http.websocketx.WebSocketFrame;
import io.netty.handler.codec.http.websocketx.WebSocketServerProtocolHandler;
import io.netty.util.Timeout;
import java.io.IOException;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session of one smartphone or browser after the upgrade (PROTOCOL.md 2.2, 2.3):
 * HELLO first, pushes and their ACKs, SEND_MESSAGE routed upstream, BYE, and the
 * server's heartbeat. Before the upgrade it only enforces the time a connection has to
 * complete it. One instance per connection; every method runs on the event loop.
 */
final class WsSessionHandler extends ChannelInboundHandlerAdapter implements DeviceTransport, Deadlines.Owner {
    private static final Logger log = LoggerFactory.getLogger(WsSessionHandler.class);
    static final int MAX_HEADERS = 32;
    static final int MAX_HEADER_KEY = 64;
    static final int MAX_HEADER_VALUE = 1024;

    private enum State { UPGRADING, ONLINE, CLOSING }

    private final SessionContext context;
    private final WsConnection connection;
    private final Function<String, WsCodec> codecs;
    private final long pingIntervalNanos;
    private final ChannelFutureListener closeOnFailure = WriteFailures.onFailure(this::writeFailed);

    private Channel channel;
    private State state = State.UPGRADING;
    private WsCodec subprotocol = WsSubprotocol.PB;
    private Session session;
    private Timeout deadline;
    private long pingedAtReadNanos = -1;
    private int closeCode;
    private String closeReason = "connection lost";

    WsSessionHandler(SessionContext context, WsConnection connection) {
        this(context, connection, WsSubprotocol::selected);
    }

    /** Creates a session whose codec is {@code codecs} of the negotiated sub-protocol's name. */
    WsSessionHandler(SessionContext context, WsConnection connection, Function<String, WsCodec> codecs) {
        this.context = context;
        this.connection = connection;
        this.codecs = codecs;
        this.pingIntervalNanos = context.config().wsPingInterval().toNanos();
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        channel = ctx.channel();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        deadline = context.deadlines().schedule(this, context.config().helloTimeout().toNanos());
        ctx.fireChannelActive();
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
        if (evt instanceof WebSocketServerProtocolHandler.HandshakeComplete handshake && state == State.UPGRADING) {
            onUpgraded(handshake);
        }
        ctx.fireUserEventTriggered(evt);
    }

    private void onUpgraded(WebSocketServerProtocolHandler.HandshakeComplete handshake) {
        subprotocol = codecs.apply(handshake.selectedSubprotocol());
        state = State.ONLINE;
        session = context.openSession(connection.identity(), ClientType.CLIENT_TYPE_WS, connection.appVersion(), this);
        reschedule(pingIntervalNanos);
        writeFrame(Frame.newBuilder()
                .setMethod(WsMethod.HELLO)
                .addHeaders(header("conn_id", session.connId()))
                .addHeaders(header("user_id", session.userId()))
                .addHeaders(header("ping_interval_ms", Long.toString(context.config().wsPingInterval().toMillis())))
                .build());
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof WebSocketFrame message)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            if (state != State.ONLINE) {
                return;
            }
            Frame frame;
            try {
                frame = subprotocol.decode(message);
            } catch (IOException | RuntimeException e) {
                bye(StatusCode.BAD_REQUEST, "undecodable frame for " + subprotocol.wireName(),
                        WebSocketCloseStatus.INVALID_PAYLOAD_DATA);
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
            case WsMethod.ACK -> session.onAck(frame.getSeqid());
            case WsMethod.BYE -> onDeviceBye(frame);
            case WsMethod.PUSH, WsMethod.HELLO -> bye(StatusCode.BAD_REQUEST,
                    "method " + frame.getMethod() + " is sent by the server only", null);
            default -> bye(StatusCode.BAD_REQUEST, "unknown method " + frame.getMethod(), null);
        }
    }

    private void onSendMessage(Frame frame) {
        String invalid = checkHeaders(frame);
        if (invalid != null) {
            replyTo(frame, SendMessageReply.newBuilder().setStatus(StatusCode.BAD_REQUEST).setMessage(invalid).build());
            return;
        }
        SendMessageRequest upstream = SendMessageRequest.newBuilder()
                .setConnection(session.info(context.config().edgeId()))
                .setService(frame.getService())
                .setSeqid(frame.getSeqid())
                .setLogid(frame.getLogid())
                .addAllHeaders(frame.getHeadersList())
                .setPayloadEncoding(frame.getPayloadEncoding())
                .setPayloadType(frame.getPayloadType())
                .setPayload(frame.getPayload())
                .build();
        boolean sent = context.sendUpstream(session, upstream, reply -> {
            if (state == State.ONLINE && channel.isActive()) {
                replyTo(frame, reply);
            }
        });
        if (!sent) {
            replyTo(frame, SendMessageReply.newBuilder().setStatus(StatusCode.TOO_MANY)
                    .setMessage("more than " + context.config().maxUpstreamInFlight() + " requests in flight").build());
        }
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

    private void replyTo(Frame request, SendMessageReply reply) {
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
        writeFrame(frame.build());
    }

    private void onDeviceBye(Frame frame) {
        int code = StatusCode.OK;
        String reason = "device said bye";
        for (Frame.ExtendedEntry header : frame.getHeadersList()) {
            if (header.getKey().equals("code")) {
                try {
                    code = Integer.parseInt(header.getValue());
                } catch (NumberFormatException e) {
                    code = StatusCode.OK;
                }
            } else if (header.getKey().equals("reason") && !header.getValue().isEmpty()) {
                reason = "device said bye: " + header.getValue();
            }
        }
        state = State.CLOSING;
        closeCode = code;
        closeReason = reason;
        channel.writeAndFlush(new CloseWebSocketFrame(WebSocketCloseStatus.NORMAL_CLOSURE))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** The deadline check: the upgrade, then pings and silence. Event loop only. */
    @Override
    public void run() {
        deadline = null;
        if (state == State.CLOSING) {
            return;
        }
        if (state == State.UPGRADING) {
            closeCode = StatusCode.TIMEOUT;
            closeReason = "no upgrade within " + context.config().helloTimeout().toMillis() + " ms";
            state = State.CLOSING;
            channel.close();
            return;
        }
        long now = System.nanoTime();
        long lastRead = connection.lastReadNanos();
        long silent = now - lastRead;
        if (silent >= 2 * pingIntervalNanos) {
            bye(StatusCode.TIMEOUT, "no answer to pings", null);
        } else if (silent >= pingIntervalNanos) {
            if (pingedAtReadNanos != lastRead) {
                pingedAtReadNanos = lastRead;
                channel.writeAndFlush(new PingWebSocketFrame());
            }
            reschedule(lastRead + 2 * pingIntervalNanos - now);
        } else {
            reschedule(lastRead + pingIntervalNanos - now);
        }
    }

    private void reschedule(long delayNanos) {
        if (deadline != null) {
            deadline.cancel();
        }
        deadline = context.deadlines().schedule(this, Math.max(1, delayNanos));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof CorruptedWebSocketFrameException violation) {
            // The frame decoder has already sent its own close frame: record why, and only close.
            boolean tooBig = violation.closeStatus() != null
                    && violation.closeStatus().code() == WebSocketCloseStatus.MESSAGE_TOO_BIG.code();
            closedByDecoder(ctx, tooBig ? StatusCode.TOO_LARGE : StatusCode.BAD_REQUEST,
                    (tooBig ? "message over " + context.config().maxWsMessage() + " bytes"
                            : "WebSocket protocol violation: " + cause.getMessage()));
        } else if (cause instanceof TooLongFrameException) {
            closeWith(StatusCode.TOO_LARGE, "message over " + context.config().maxWsMessage() + " bytes",
                    WebSocketCloseStatus.MESSAGE_TOO_BIG);
        } else if (cause instanceof DecompressionException || cause.getCause() instanceof DecompressionException) {
            // The inflater is bounded by the message limit: a message that inflates past it is too big.
            closeWith(StatusCode.TOO_LARGE, "message inflates past " + context.config().maxWsMessage() + " bytes",
                    WebSocketCloseStatus.MESSAGE_TOO_BIG);
        } else if (cause instanceof CorruptedFrameException) {
            closeWith(StatusCode.BAD_REQUEST, "WebSocket protocol violation: " + cause.getMessage(),
                    WebSocketCloseStatus.PROTOCOL_ERROR);
        } else if (cause instanceof IOException) {
            closeReason = "connection lost: " + cause.getMessage();
            ctx.close();
        } else {
            log.warn("conn {}: unexpected error", connLabel(), cause);
            bye(StatusCode.INTERNAL, "internal error", null);
        }
    }

    private void closedByDecoder(ChannelHandlerContext ctx, int code, String reason) {
        if (state != State.CLOSING) {
            log.info("conn {}: closing: {}", connLabel(), reason);
            state = State.CLOSING;
            closeCode = code;
            closeReason = reason;
        }
        ctx.close();
    }

    private void closeWith(int code, String reason, WebSocketCloseStatus status) {
        if (state == State.CLOSING) {
            return;
        }
        log.info("conn {}: closing with {}: {}", connLabel(), status.code(), reason);
        state = State.CLOSING;
        closeCode = code;
        closeReason = reason;
        channel.writeAndFlush(new CloseWebSocketFrame(status, reason)).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel();
            deadline = null;
        }
        state = State.CLOSING;
        if (session != null) {
            context.closeSession(session, closeCode, closeReason);
        }
        ctx.fireChannelInactive();
    }

    /**
     * Sends a BYE with {@code code}, then the WebSocket close ({@code status}, or the one
     * that goes with the code); the first reason to close wins.
     */
    private void bye(int code, String reason, WebSocketCloseStatus status) {
        if (state == State.CLOSING) {
            return;
        }
        if (code == StatusCode.BAD_REQUEST || code == StatusCode.INTERNAL) {
            log.info("conn {}: closing with BYE {}: {}", connLabel(), code, reason);
        } else {
            log.debug("conn {}: closing with BYE {}: {}", connLabel(), code, reason);
        }
        boolean online = state == State.ONLINE;
        state = State.CLOSING;
        closeCode = code;
        closeReason = reason;
        if (online) {
            try {
                channel.write(subprotocol.encode(Frame.newBuilder()
                        .setMethod(WsMethod.BYE)
                        .addHeaders(header("code", Integer.toString(code)))
                        .addHeaders(header("reason", reason))
                        .build()));
            } catch (Throwable encodeFailure) {
                // The close frame below still ends the connection; without it the device would hang.
                log.warn("conn {}: closing without BYE {}: it did not encode: {}", connLabel(), code,
                        encodeFailure.toString());
            }
        }
        WebSocketCloseStatus close = status != null ? status : CloseStatus.forBye(code);
        channel.writeAndFlush(new CloseWebSocketFrame(close, truncate(reason))).addListener(ChannelFutureListener.CLOSE);
    }

    /** A close frame's reason is at most 123 bytes of UTF-8. */
    private static String truncate(String reason) {
        return reason.length() > 60 ? reason.substring(0, 60) : reason;
    }

    private static Frame.ExtendedEntry header(String key, String value) {
        return Frame.ExtendedEntry.newBuilder().setKey(key).setValue(value).build();
    }

    private String connLabel() {
        return session != null ? session.connId() : SessionContext.clientAddr(channel);
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public long lastReadNanos() {
        return connection.lastReadNanos();
    }

    @Override
    public long maxPushSeq() {
        return Long.MAX_VALUE;
    }

    @Override
    public ChannelFuture writePush(long seq, PushMessage message) {
        WebSocketFrame frame;
        try {
            frame = subprotocol.encodePush(channel.alloc(), seq, message);
        } catch (Throwable encodeFailure) {
            writeFailed(encodeFailure);
            return channel.newFailedFuture(encodeFailure);
        }
        return channel.writeAndFlush(frame).addListener(closeOnFailure);
    }

    @Override
    public void writePushUnacked(long seq, PushMessage message) {
        WebSocketFrame frame;
        try {
            frame = subprotocol.encodePush(channel.alloc(), seq, message);
        } catch (Throwable encodeFailure) {
            writeFailed(encodeFailure);
            return;
        }
        channel.writeAndFlush(frame, channel.voidPromise());
    }

    /** Writes and flushes {@code frame}; a frame that does not encode or write closes the connection. */
    private void writeFrame(Frame frame) {
        WebSocketFrame message;
        try {
            message = subprotocol.encode(frame);
        } catch (Throwable encodeFailure) {
            writeFailed(encodeFailure);
            return;
        }
        channel.writeAndFlush(message).addListener(closeOnFailure);
    }

    /** Closes the connection after a write failed; the first reason to close wins. */
    private void writeFailed(Throwable cause) {
        boolean first = state != State.CLOSING;
        if (first) {
            state = State.CLOSING;
            closeCode = StatusCode.INTERNAL;
            closeReason = "write failed";
        }
        WriteFailures.close(channel, connLabel(), cause, first);
    }

    @Override
    public void close(int code, String reason) {
        if (state == State.UPGRADING) {
            state = State.CLOSING;
            closeCode = code;
            closeReason = reason;
            channel.close();
            return;
        }
        bye(code, reason, null);
    }
}
