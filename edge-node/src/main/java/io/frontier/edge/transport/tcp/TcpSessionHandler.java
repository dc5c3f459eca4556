package io.frontier.edge.transport.tcp;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageLite;
import io.frontier.api.v1.Bye;
import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.SendMessageRequest;
import io.frontier.api.v1.TcpHello;
import io.frontier.api.v1.TcpHelloAck;
import io.frontier.api.v1.TcpRequest;
import io.frontier.api.v1.TcpResponse;
import io.frontier.edge.auth.AuthException;
import io.frontier.edge.auth.Credentials;
import io.frontier.edge.auth.Identity;
import io.frontier.edge.session.Deadlines;
import io.frontier.edge.session.DeviceTransport;
import io.frontier.edge.session.PushMessage;
import io.frontier.edge.session.Session;
import io.frontier.edge.session.SessionContext;
import io.frontier.edge.session.WriteFailures;
import io.frontier.protocol.StatusCode;
import io.frontier.protocol.tcp.TcpCommand;
import io.frontier.protocol.tcp.TcpFrame;
import io.frontier.protocol.tcp.TcpProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.Timeout;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The session of one feature phone (PROTOCOL.md 1.3): Hello within the hello timeout,
 * authentication, Ping replies, the idle deadline, pushes and their acks, upstream
 * Data, and every Bye. One instance per connection; every method runs on the
 * channel's event loop.
 */
final class TcpSessionHandler extends ChannelInboundHandlerAdapter implements DeviceTransport, Deadlines.Owner {
    private static final Logger log = LoggerFactory.getLogger(TcpSessionHandler.class);
    private static final int MAX_TCP_SEQ = 0xFFFF;
    private static final int MAX_PUSH_PAYLOAD = 0xFFFF;

    // REFUSED: the edge sent the Bye that refuses this connection, and waits for the device's first frame.
    private enum State { AWAITING_HELLO, REFUSED, AUTHENTICATING, ONLINE, CLOSING }

    private final SessionContext context;
    private final long helloTimeoutNanos;
    private final long idleTimeoutNanos;
    private final ChannelFutureListener closeOnFailure = WriteFailures.onFailure(this::writeFailed);

    private Channel channel;
    private State state = State.AWAITING_HELLO;
    private Session session;
    private Timeout deadline;
    private long openedNanos;
    private long lastReadNanos;
    private boolean counted;
    private int closeCode;
    private String closeReason = "connection lost";

    TcpSessionHandler(SessionContext context) {
        this.context = context;
        this.helloTimeoutNanos = context.config().helloTimeout().toNanos();
        this.idleTimeoutNanos = context.config().idleTimeout().toNanos();
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        channel = ctx.channel();
        openedNanos = System.nanoTime();
        lastReadNanos = openedNanos;
        if (!context.tryOpenConnection()) {
            refuse(StatusCode.TOO_MANY, "edge holds its maximum of " + context.config().maxConnections() + " connections");
        } else {
            counted = true;
            if (context.draining()) {
                refuse(StatusCode.DRAINING, "edge is draining: reconnect to another edge");
            }
        }
        deadline = context.deadlines().schedule(this, helloTimeoutNanos);
        ctx.fireChannelActive();
    }

    /**
     * Refuses the connection with a Bye at once, and closes it only once the device's first frame
     * (its Hello) is read, or after the hello timeout. Closing at once would race the Hello: a
     * socket closed with the Hello unread resets the connection, and the device may lose the Bye.
     */
    private void refuse(int code, String reason) {
        state = State.REFUSED;
        closeCode = code;
        closeReason = reason;
        log.debug("conn {}: refusing with Bye {}: {}", connLabel(), code, reason);
        writeMessage(TcpCommand.BYE, 0, Bye.newBuilder().setCode(code).setReason(reason).build())
                .addListener(closeOnFailure);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof TcpFrame frame)) {
            ctx.fireChannelRead(msg);
            return;
        }
        try {
            lastReadNanos = System.nanoTime();
            if (state != State.CLOSING) {
                handle(frame);
            }
        } finally {
            frame.release();
        }
    }

    private void handle(TcpFrame frame) {
        if (state == State.REFUSED) {
            state = State.CLOSING;
            channel.close();
            return;
        }
        boolean online = state == State.ONLINE;
        switch (frame.cmd()) {
            case TcpCommand.NULL -> {
            }
            case TcpCommand.PING -> channel.writeAndFlush(TcpFrame.empty(TcpCommand.PING, frame.seq()))
                    .addListener(closeOnFailure);
            case TcpCommand.BYE -> onDeviceBye(frame);
            case TcpCommand.HELLO -> onHello(frame);
            case TcpCommand.HELLO_X -> bye(StatusCode.NOT_IMPLEMENTED, "encrypted hello is not implemented");
            case TcpCommand.PROXY -> bye(StatusCode.BAD_REQUEST, "Proxy from an untrusted peer");
            case TcpCommand.DATA -> {
                if (online) {
                    onData(frame);
                } else {
                    reply(frame.seq(), TcpResponse.newBuilder().setStatus(StatusCode.UNAUTHORIZED)
                            .setMessage("not authenticated: send Hello first").build());
                }
            }
            case TcpCommand.ACK -> {
                if (online) {
                    session.onAck(frame.seq());
                } else {
                    bye(StatusCode.UNAUTHORIZED, "Ack before Hello");
                }
            }
            case TcpCommand.PUSH -> bye(online ? StatusCode.BAD_REQUEST : StatusCode.UNAUTHORIZED,
                    online ? "Push is a server command" : "Push before Hello");
            default -> bye(StatusCode.BAD_REQUEST, "unknown cmd " + TcpCommand.name(frame.cmd()));
        }
    }

    private void onDeviceBye(TcpFrame frame) {
        int code = StatusCode.OK;
        String reason = "device said bye";
        try {
            Bye bye = Bye.parseFrom(frame.content().nioBuffer());
            if (bye.getCode() != 0) {
                code = bye.getCode();
            }
            if (!bye.getReason().isEmpty()) {
                reason = "device said bye: " + bye.getReason();
            }
        } catch (InvalidProtocolBufferException e) {
            reason = "device said bye (malformed payload)";
        }
        state = State.CLOSING;
        closeCode = code;
        closeReason = reason;
        channel.close();
    }

    private void onHello(TcpFrame frame) {
        if (state != State.AWAITING_HELLO) {
            bye(StatusCode.BAD_REQUEST, "second Hello");
            return;
        }
        TcpHello hello;
        try {
            hello = TcpHello.parseFrom(frame.content().nioBuffer());
        } catch (InvalidProtocolBufferException e) {
            bye(StatusCode.BAD_REQUEST, "malformed Hello");
            return;
        }
        state = State.AUTHENTICATING;
        int helloSeq = frame.seq();
        String appVersion = hello.getAppVersion();
        Credentials credentials = new Credentials(hello.getToken(), hello.getDeviceId(), ClientType.CLIENT_TYPE_TCP,
                SessionContext.clientAddr(channel), appVersion);
        context.authenticate(channel, credentials, (identity, refused) -> onAuthenticated(helloSeq, appVersion, identity, refused));
    }

    private void onAuthenticated(int helloSeq, String appVersion, Identity identity, AuthException refused) {
        if (state != State.AUTHENTICATING || !channel.isActive()) {
            return;
        }
        if (refused != null) {
            bye(refused.code(), refused.getMessage());
            return;
        }
        state = State.ONLINE;
        // Reported online before the reply, so that a device which has its Hello reply is
        // already known wherever the report is applied synchronously (standalone).
        session = context.openSession(identity, ClientType.CLIENT_TYPE_TCP, appVersion, this);
        reply(TcpCommand.HELLO, helloSeq, TcpHelloAck.newBuilder()
                .setConnId(session.connId())
                .setUserId(session.userId())
                .setHeartbeatSeconds((int) context.config().heartbeatInterval().toSeconds())
                .setServerTimeMs(session.connectedAtMs())
                .build());
    }

    private void onData(TcpFrame frame) {
        TcpRequest request;
        try {
            request = TcpRequest.parseFrom(frame.content().nioBuffer());
        } catch (InvalidProtocolBufferException e) {
            bye(StatusCode.BAD_REQUEST, "malformed Data");
            return;
        }
        int seq = frame.seq();
        SendMessageRequest upstream = SendMessageRequest.newBuilder()
                .setConnection(session.info(context.config().edgeId()))
                .setService(request.getService())
                .setSeqid(seq)
                .setPayloadType(request.getPayloadType())
                .setPayload(request.getPayload())
                .build();
        boolean sent = context.sendUpstream(session, upstream, reply -> {
            if (state == State.ONLINE && channel.isActive()) {
                reply(seq, TcpResponse.newBuilder()
                        .setStatus(reply.getStatus())
                        .setPayload(reply.getPayload())
                        .setMessage(reply.getMessage())
                        .build());
            }
        });
        if (!sent) {
            reply(seq, TcpResponse.newBuilder().setStatus(StatusCode.TOO_MANY)
                    .setMessage("more than " + context.config().maxUpstreamInFlight() + " requests in flight").build());
        }
    }

    /** The deadline check: Hello, then idle. Event loop only. */
    @Override
    public void run() {
        deadline = null;
        if (state == State.CLOSING) {
            return;
        }
        if (state == State.REFUSED) {
            state = State.CLOSING;
            channel.close();
            return;
        }
        long now = System.nanoTime();
        if (state != State.ONLINE) {
            bye(StatusCode.TIMEOUT, "no Hello within " + context.config().helloTimeout().toMillis() + " ms");
            return;
        }
        long idleAt = lastReadNanos + idleTimeoutNanos;
        if (now - idleAt >= 0) {
            bye(StatusCode.TIMEOUT, "idle");
        } else {
            deadline = context.deadlines().schedule(this, idleAt - now);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof TcpProtocolException violation) {
            bye(violation.code(), violation.getMessage());
        } else if (cause instanceof IOException) {
            closeReason = "connection lost: " + cause.getMessage();
            ctx.close();
        } else {
            log.warn("conn {}: unexpected error", connLabel(), cause);
            bye(StatusCode.INTERNAL, "internal error");
        }
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        if (deadline != null) {
            deadline.cancel();
            deadline = null;
        }
        state = State.CLOSING;
        if (counted) {
            context.connectionClosed();
        }
        if (session != null) {
            context.closeSession(session, closeCode, closeReason);
        }
        ctx.fireChannelInactive();
    }

    /** Sends Bye {@code code} and closes; the first reason to close wins. */
    private void bye(int code, String reason) {
        if (state == State.CLOSING) {
            return;
        }
        state = State.CLOSING;
        closeCode = code;
        closeReason = reason;
        if (code == StatusCode.BAD_REQUEST || code == StatusCode.UNAUTHORIZED || code == StatusCode.TOO_LARGE
                || code == StatusCode.INTERNAL) {
            log.info("conn {}: closing with Bye {}: {}", connLabel(), code, reason);
        } else {
            log.debug("conn {}: closing with Bye {}: {}", connLabel(), code, reason);
        }
        // Nothing after a Bye is read: the peer's remaining input is dropped with the connection.
        channel.config().setAutoRead(false);
        ChannelFuture written;
        try {
            written = writeMessage(TcpCommand.BYE, 0, Bye.newBuilder().setCode(code).setReason(reason).build());
        } catch (Throwable byeFailure) {
            // The Bye's own class may be what failed to load: the close still has to happen.
            written = channel.newFailedFuture(byeFailure);
        }
        // CLOSE closes on failure too, so a Bye that cannot be written still ends the connection.
        written.addListener(ChannelFutureListener.CLOSE);
    }

    private void reply(int seq, TcpResponse response) {
        reply(TcpCommand.DATA, seq, response);
    }

    private void reply(int cmd, int seq, MessageLite message) {
        writeMessage(cmd, seq, message).addListener(closeOnFailure);
    }

    /** Writes and flushes one frame; a payload that does not serialize fails the future as a failed write does. */
    private ChannelFuture writeMessage(int cmd, int seq, MessageLite message) {
        ByteBuf payload;
        try {
            payload = Unpooled.wrappedBuffer(message.toByteArray());
        } catch (Throwable encodeFailure) {
            return channel.newFailedFuture(encodeFailure);
        }
        return channel.writeAndFlush(new TcpFrame(cmd, seq, payload));
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

    private String connLabel() {
        return session != null ? session.connId() : SessionContext.clientAddr(channel);
    }

    @Override
    public Channel channel() {
        return channel;
    }

    @Override
    public long lastReadNanos() {
        return lastReadNanos;
    }

    @Override
    public long maxPushSeq() {
        return MAX_TCP_SEQ;
    }

    @Override
    public ChannelFuture writePush(long seq, PushMessage message) {
        ByteBuf payload = message.payload();
        if (payload.readableBytes() > MAX_PUSH_PAYLOAD) {
            return channel.newFailedFuture(new IllegalArgumentException(
                    "payload of " + payload.readableBytes() + " bytes over the TCP limit of " + MAX_PUSH_PAYLOAD));
        }
        return channel.writeAndFlush(pushFrame(seq, message)).addListener(closeOnFailure);
    }

    /** The caller has checked the payload against the frame's limit: the encoder would fail the write otherwise. */
    @Override
    public void writePushUnacked(long seq, PushMessage message) {
        channel.writeAndFlush(pushFrame(seq, message), channel.voidPromise());
    }

    private static TcpFrame pushFrame(long seq, PushMessage message) {
        return new TcpFrame(TcpCommand.PUSH, (int) seq, message.payload().retainedDuplicate());
    }

    @Override
    public void close(int code, String reason) {
        bye(code, reason);
    }
}
