package io.frontier.edge.internal.session;

import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.ConnectionInfo;
import io.frontier.api.v1.DeviceOutcome.Outcome;
import io.frontier.api.v1.SendMessageReply;
import io.frontier.api.v1.SendMessageRequest;
import io.frontier.api.v1.SendMessageRequestOrBuilder;
import io.frontier.edge.internal.auth.Credentials;
import io.frontier.edge.internal.auth.Identity;
import io.frontier.edge.internal.metrics.EdgeMetrics.Push;
import io.frontier.edge.internal.metrics.EdgeMetrics.Refusal;
import io.frontier.edge.internal.metrics.EdgeMetrics;
import io.frontier.edge.session.Session;
import io.frontier.protocol.Ids;
import io.frontier.protocol.StatusCode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.EventLoop;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.collection.LongObjectHashMap;
import io.netty.util.concurrent.ScheduledFuture;
import java.io.IOException;
import java.net.InetAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * The state machine of one device connection, whatever its protocol (PROTOCOL.md 1.3,
 * 2.2, 3): admission and draining, the Hello and its deadline, authentication,
 * registration and replacement, pushes with their sequence numbers and acks, upstream
 * requests with their bound, the frame-rate limits, the idle and ping deadlines, every
 * Bye, close-once and the one log line per close. A {@link Transport} only turns its
 * frames into calls of this class and this class's answers into frames.
 *
 * <p>Every method but {@link #push}, {@link #close} and the identity getters runs on the
 * channel's event loop, which confines all mutable state: no lock. The session is also
 * the listener of the writes it makes, so that a write costs no listener object.
 */
public final class DeviceSession implements Session, ChannelFutureListener {
    /** Added to {@code admission} while a refused connection holds a place to be told why. */
    private static final byte HELD = 0x10;
    private static final Logger log = LoggerFactory.getLogger(DeviceSession.class);

    /**
     * How long a push that waits for no ack waits for its write, and how long a Bye may take
     * to leave: a device that stopped reading would hold either, and its caller, until the
     * connection closes.
     */
    public static final long WRITE_TIMEOUT_MS = 10_000;
    private static final long WRITE_TIMEOUT_NANOS = TimeUnit.MILLISECONDS.toNanos(WRITE_TIMEOUT_MS);
    private static final long SECOND_NANOS = 1_000_000_000L;
    // Pushes a device is sent add frames it may send (its acks); the bound keeps the sum an int.
    private static final int MAX_FRAME_CREDIT = 1 << 20;

    private static final byte AWAITING_HELLO = 0;
    // The edge said the Bye that refuses this connection, and waits for the device's first frame.
    private static final byte REFUSED = 1;
    private static final byte AUTHENTICATING = 2;
    private static final byte ONLINE = 3;
    private static final byte CLOSING = 4;

    private final SessionContext context;
    // The channel is the transport's: one field less on every idle connection.
    private final Transport transport;

    // Event loop only, but for the identity, which is written before the session is registered
    // (the registry's map publishes it) and never after.
    private byte state = AWAITING_HELLO;
    // 0 once counted as an open connection, else the limit that refused it (SessionContext.tryOpenConnection),
    // with HELD added while the refused connection holds a place to be told why.
    private byte admission = SessionContext.EDGE_FULL;
    private int upstreamInFlight;
    private int frames;
    private long framesAtNanos;
    private long id;
    private String userId;
    private String deviceId;
    private String appVersion;
    private long connectedAtMs;
    private long lastReadNanos;
    private long deadlineNanos;
    private long pingedAtReadNanos;
    private long lastPushSeq;
    private LongObjectHashMap<PendingAck> pendingAcks;
    private int closeCode;
    private String closeReason = "connection lost";

    // The event loop's deadline sweep links its sessions through these.
    DeviceSession sweepPrev;
    DeviceSession sweepNext;

    public DeviceSession(SessionContext context, Transport transport) {
        this.context = context;
        this.transport = transport;
    }

    // ---- identity (any thread once online) ----

    /** Returns the connection id as the edge keeps it; {@link #connId()} is its text. */
    public long id() {
        return id;
    }

    @Override
    public String connId() {
        return context.connIds().format(id);
    }

    @Override
    public String userId() {
        return userId;
    }

    @Override
    public String deviceId() {
        return deviceId;
    }

    @Override
    public ClientType clientType() {
        return transport.clientType();
    }

    /**
     * Returns the device's address as "ip:port", made when asked: the channel keeps the
     * address anyway, and a string per connection would cost memory on every idle one.
     */
    @Override
    public String clientAddr() {
        return SessionContext.clientAddr(channel());
    }

    @Override
    public long connectedAtMs() {
        return connectedAtMs;
    }

    @Override
    public long lastActivityMs() {
        long silentMs = Math.max(0, now() - lastReadNanos) / 1_000_000;
        return context.clock().millis() - silentMs;
    }

    public Channel channel() {
        return transport.channel();
    }

    /** Returns the edge's context, which the transports read their settings from. */
    public SessionContext context() {
        return context;
    }

    /** Returns whether the device has authenticated and the connection is not closing. */
    public boolean online() {
        return state == ONLINE;
    }

    @Override
    public ConnectionInfo info(String edgeId) {
        return ConnectionInfo.newBuilder()
                .setConnId(connId())
                .setUserId(userId)
                .setDeviceId(deviceId)
                .setClientType(clientType())
                .setClientAddr(clientAddr())
                .setEdgeId(edgeId)
                .setConnectedAtMs(connectedAtMs)
                .setAppVersion(appVersion)
                .setLastActivityMs(lastActivityMs())
                .build();
    }

    // ---- lifecycle ----

    /**
     * Starts the session of a connection that just opened: counts it against the edge's
     * and its address's limits and starts its Hello deadline. A connection the limits refuse
     * waits for its Hello to be told why, unless {@link SessionContext#MAX_REFUSED_HELD} wait
     * already: then it is closed at once.
     */
    public void open() {
        lastReadNanos = now();
        admission = (byte) context.tryOpenConnection(address(), lastReadNanos);
        if (admission != 0) {
            if (!context.holdRefused()) {
                context.metrics().refused(Refusal.UNANSWERED);
                closeCode = StatusCode.TOO_MANY;
                channel().close();
                return;
            }
            admission |= HELD;
        } else {
            context.metrics().opened(clientType());
        }
        deadlineNanos = lastReadNanos + context.helloTimeoutNanos();
        context.sweep(channel().eventLoop()).add(this);
    }

    /**
     * Decides whether the connection is refused now, and returns the code that refuses it, or 0:
     * 429 when the edge, or the device's IP address, holds its maximum of connections, when the
     * address connects too often or is banned for failing authentication; 503 when the edge is
     * draining. Each refusal counts in the edge's metrics: a transport asks once per attempt.
     */
    public int refusal() {
        int code;
        if (admission != 0 || banned()) {
            code = StatusCode.TOO_MANY;
            if ((admission & HELD) != 0 || admission == 0) {
                // A connection that was not held has been counted, unanswered, already.
                context.metrics().refused(refusalOf(admission == 0 ? SessionContext.ADDRESS_BANNED : admission & ~HELD));
            }
        } else if (context.draining()) {
            code = StatusCode.DRAINING;
            context.metrics().refused(Refusal.DRAINING);
        } else {
            return 0;
        }
        closeCode = code;
        return code;
    }

    private static Refusal refusalOf(int limit) {
        return switch (limit) {
            case SessionContext.ADDRESS_FULL -> Refusal.ADDRESS_FULL;
            case SessionContext.ADDRESS_TOO_FAST -> Refusal.ADDRESS_TOO_FAST;
            case SessionContext.ADDRESS_BANNED -> Refusal.ADDRESS_BANNED;
            case SessionContext.USER_FULL -> Refusal.USER_FULL;
            default -> Refusal.EDGE_FULL;
        };
    }

    /** Returns the reason that goes with {@link #refusal()}'s code. */
    public String refusalReason(int code) {
        if (code != StatusCode.TOO_MANY) {
            return "edge is draining: reconnect to another edge";
        }
        // A connection counted in is refused 429 only for a ban that began after it opened.
        return context.limitReason(admission != 0 ? admission & ~HELD : SessionContext.ADDRESS_BANNED);
    }

    /**
     * Returns why {@code identity} may not come online on this connection (its user holds its
     * maximum of connections), or null when it may; a device already online is replaced, so it
     * is never refused. Nothing is reserved: {@link #online} decides again.
     */
    public String userRefusal(Identity identity) {
        if (context.registry().admits(identity.userId(), identity.deviceId(), maxConnectionsPerUser())) {
            return null;
        }
        context.metrics().refused(Refusal.USER_FULL);
        return context.limitReason(SessionContext.USER_FULL);
    }

    private int maxConnectionsPerUser() {
        return context.config().sessions().maxConnectionsPerUser();
    }

    /** Returns whether the device's address is banned now: it may have been since the connection opened. */
    private boolean banned() {
        return context.banned(address(), now());
    }

    private InetAddress address() {
        return SessionContext.address(channel());
    }

    /**
     * Refuses the connection with a Bye at once, and closes it only once the device's first
     * frame (its Hello) is read, or at the Hello deadline. Closing at once would race the
     * Hello: a socket closed with the Hello unread resets the connection, and the device may
     * lose the Bye.
     */
    public void refuse(int code) {
        String reason = refusalReason(code);
        state = REFUSED;
        closeCode = code;
        closeReason = reason;
        log.debug("conn {}: refusing with Bye {}: {}", label(), code, reason);
        writeGuarded(() -> transport.writeBye(code, reason, false, null));
    }

    /**
     * Counts one frame from the device and tells whether to handle it: not when the session
     * is closing, nor past a frame limit (Bye 429). Every frame counts, pings included.
     */
    public boolean frame() {
        long now = now();
        lastReadNanos = now;
        switch (state) {
            case CLOSING -> {
                return false;
            }
            case REFUSED -> {
                state = CLOSING;
                channel().close();
                return false;
            }
            case ONLINE -> {
                if (!takeFrame(now)) {
                    bye(StatusCode.TOO_MANY, "more than " + context.config().sessions().maxFramesPerSecond()
                            + " frames per second");
                    return false;
                }
                return true;
            }
            default -> {
                if (++frames > context.config().sessions().maxFramesBeforeOnline()) {
                    bye(StatusCode.TOO_MANY, "more than " + context.config().sessions().maxFramesBeforeOnline()
                            + " frames before " + transport.helloName());
                    return false;
                }
                return true;
            }
        }
    }

    /** A token bucket of one second's frames, refilled continuously; pushes sent add to it. */
    private boolean takeFrame(long now) {
        int rate = context.config().sessions().maxFramesPerSecond();
        long elapsed = now - framesAtNanos;
        if (elapsed > 0 && frames < rate) {
            long refill = Math.min(rate, elapsed * rate / SECOND_NANOS);
            if (refill > 0) {
                frames = (int) Math.min(rate, frames + refill);
                framesAtNanos = frames == rate ? now : framesAtNanos + refill * SECOND_NANOS / rate;
            }
        }
        if (frames <= 0) {
            return false;
        }
        frames--;
        return true;
    }

    /**
     * Authenticates a device's Hello, unless its address is banned (429); a second Hello is a
     * protocol error.
     */
    public void hello(Credentials credentials) {
        if (!admitsHello()) {
            return;
        }
        state = AUTHENTICATING;
        context.authenticate(channel(), credentials, (identity, refused) -> {
            if (state != AUTHENTICATING || !channel().isActive()) {
                return;
            }
            if (refused != null) {
                bye(refused.code(), refused.getMessage());
            } else {
                online(identity, credentials.appVersion());
            }
        });
    }

    /**
     * Returns whether a Hello would be authenticated now, before a transport spends work on one
     * (HelloX's key agreement); otherwise it has said Bye: 400 to a second Hello, 429 to an address
     * banned for failing authentication.
     */
    public boolean admitsHello() {
        if (state != AWAITING_HELLO) {
            bye(StatusCode.BAD_REQUEST, "second " + transport.helloName());
            return false;
        }
        if (banned()) {
            context.metrics().refused(Refusal.ADDRESS_BANNED);
            bye(StatusCode.TOO_MANY, context.limitReason(SessionContext.ADDRESS_BANNED));
            return false;
        }
        return true;
    }

    /**
     * Refuses a device that does not hold the key the edge proves itself with (HelloX under another
     * key): Bye 401, counted against its address as a failed authentication.
     */
    public void keyRefused(String reason) {
        if (state != AWAITING_HELLO) {
            return;
        }
        context.authenticationFailed(channel(), clientAddr());
        context.metrics().authFailed(EdgeMetrics.AuthFailure.HELLOX_KEY);
        bye(StatusCode.UNAUTHORIZED, reason);
    }

    /**
     * Puts an authenticated device online: registers it, closes the device's older
     * connection (409), reports it, and answers its Hello. The report comes before the
     * answer, so that a device which has its answer is already known wherever the report is
     * applied synchronously (standalone). A user that holds its maximum of connections with
     * other devices gets Bye 429 instead.
     */
    public void online(Identity identity, String appVersion) {
        if (state == CLOSING || state == REFUSED) {
            return;
        }
        state = ONLINE;
        id = context.connIds().nextId();
        userId = identity.userId();
        deviceId = identity.deviceId();
        this.appVersion = context.appVersion(appVersion);
        connectedAtMs = context.clock().millis();
        long now = now();
        // Until now the deadline was the Hello's, counted from the connection's opening.
        long sinceOpen = now - (deadlineNanos - context.helloTimeoutNanos());
        frames = context.config().sessions().maxFramesPerSecond();
        framesAtNanos = now;
        long ping = context.serverPingNanos(clientType());
        deadlineNanos = now + (ping > 0 ? ping : context.idleNanos(clientType()));
        DeviceSession replaced = context.registry().register(this, maxConnectionsPerUser());
        if (replaced == this) {
            // Never registered, so never reported: the close must not report it offline either.
            userId = null;
            context.metrics().refused(Refusal.USER_FULL);
            bye(StatusCode.TOO_MANY, context.limitReason(SessionContext.USER_FULL));
            return;
        }
        context.metrics().online(sinceOpen);
        if (replaced != null) {
            replaced.close(StatusCode.REPLACED, "replaced by a newer connection of the device");
        }
        context.listener().onConnected(this);
        log.debug("conn {}: online as user {} device {}", connId(), userId, deviceId);
        writeGuarded(() -> transport.writeHello(this));
    }

    /** The device acknowledged push {@code seq}; an ack for no pending push is ignored. */
    public void ack(long seq) {
        if (state != ONLINE) {
            bye(StatusCode.UNAUTHORIZED, "Ack before " + transport.helloName());
            return;
        }
        PendingAck pending = pendingAcks == null ? null : pendingAcks.remove(seq);
        if (pending != null) {
            pending.timeout.cancel(false);
            context.metrics().push(Push.ACKNOWLEDGED);
            pending.result.complete(PushResult.ACKNOWLEDGED);
        }
    }

    /** A frame only the server may send, or one not allowed yet: 400 once online, 401 before. */
    public void forbidden(String reason) {
        bye(state == ONLINE ? StatusCode.BAD_REQUEST : StatusCode.UNAUTHORIZED, reason);
    }

    /**
     * Returns whether the device may send upstream requests now; when it may not (no Hello
     * yet), {@code request} has been answered 401 and the connection stays.
     */
    public boolean acceptsRequest(SendMessageRequestOrBuilder request) {
        if (state == ONLINE) {
            return true;
        }
        reply(request, SendMessageReply.newBuilder().setStatus(StatusCode.UNAUTHORIZED)
                .setMessage("not authenticated: send " + transport.helloName() + " first").build());
        return false;
    }

    /**
     * Sends an upstream request to its service's backend and answers the device with the
     * reply (404, 502 and 504 come from the router); 429 past the in-flight bound.
     */
    public void request(SendMessageRequest.Builder request) {
        if (!acceptsRequest(request)) {
            return;
        }
        int max = context.config().upstream().maxInFlight();
        if (upstreamInFlight >= max) {
            context.router().tooMany(request.getService());
            reply(request, SendMessageReply.newBuilder().setStatus(StatusCode.TOO_MANY)
                    .setMessage("more than " + max + " requests in flight").build());
            return;
        }
        upstreamInFlight++;
        SendMessageRequest upstream = request.setConnection(info(context.config().edgeId())).build();
        context.router().send(upstream).whenComplete((reply, error) -> context.onLoop(channel(), () -> {
            upstreamInFlight--;
            if (state == ONLINE && channel().isActive()) {
                reply(upstream, error == null ? reply : SendMessageReply.newBuilder()
                        .setStatus(StatusCode.INTERNAL).setMessage("upstream failed").build());
            }
        }));
    }

    /**
     * Answers {@code request}, unless the device is not reading its answers: a reply is never
     * queued behind a full write buffer, whatever the device sends.
     */
    public void reply(SendMessageRequestOrBuilder request, SendMessageReply reply) {
        if (state == CLOSING) {
            return;
        }
        if (!channel().isWritable()) {
            context.metrics().writeBufferFull();
            return;
        }
        writeGuarded(() -> transport.writeReply(request, reply));
    }

    /** Answers a ping (before and after Hello), unless the device is not reading. Releases {@code data}. */
    public void ping(int seq, ByteBuf data) {
        if (state == CLOSING || !channel().isWritable()) {
            if (state != CLOSING) {
                context.metrics().writeBufferFull();
            }
            ReferenceCountUtil.release(data);
            return;
        }
        writeGuarded(() -> transport.writePong(seq, data));
    }

    /** The device said Bye: close without one. A code of 0 means 200. */
    public void deviceBye(int code, String reason) {
        if (state == CLOSING) {
            return;
        }
        state = CLOSING;
        // The device's words go on to logs and backends' events: a code of three digits, a reason quoted short.
        closeCode = code >= 100 && code <= 999 ? code : StatusCode.OK;
        closeReason = reason == null || reason.isEmpty() ? "device said bye" : "device said bye: " + Ids.quoted(reason);
        channel().config().setAutoRead(false);
        // A device that said Bye and reads nothing more would hold the answer, and the connection, for ever.
        deadlineNanos = now() + WRITE_TIMEOUT_NANOS;
        writeGuarded(transport::acknowledgeDeviceBye).addListener(ChannelFutureListener.CLOSE);
    }

    /** The device broke the protocol: Bye {@code code} and close. */
    public void protocolError(int code, String reason) {
        bye(code, reason);
    }

    /** The device broke the protocol: Bye {@code code} with a transport's own {@code detail} of the error. */
    public void protocolError(int code, String reason, Object detail) {
        bye(code, reason, detail);
    }

    /** The protocol's codec has already told the device why it closes: record it, and close. */
    public void closedByCodec(int code, String reason) {
        if (beginClose(code, reason)) {
            channel().close();
        }
    }

    /** The socket failed: close without a Bye. */
    public void ioFailed(IOException cause) {
        if (state != CLOSING) {
            closeReason = "connection lost: " + cause.getMessage();
            state = CLOSING;
        }
        channel().close();
    }

    /** Something the protocol does not explain failed: Bye 500. */
    public void unexpected(Throwable cause) {
        if (state == CLOSING) {
            // The close has its one log line already; what fails on a closing connection is its echo.
            log.debug("conn {}: error while closing", label(), cause);
            channel().close();
            return;
        }
        log.warn("conn {}: unexpected error", label(), cause);
        bye(StatusCode.INTERNAL, "internal error");
    }

    /**
     * A write failed, whatever failed (the encoder, a class that did not load, the socket):
     * the session is over. Closing it lets the device reconnect rather than wait on a
     * connection that answers nothing.
     */
    public void writeFailed(Throwable cause) {
        boolean first = state != CLOSING;
        if (first) {
            state = CLOSING;
            closeCode = StatusCode.INTERNAL;
            closeReason = "write failed";
            if (channel().isActive()) {
                // A write to a closed channel fails as a matter of course: only the first, on an open one, is news.
                log.warn("conn {}: closing: a write failed: {}", label(), cause.toString());
            }
        }
        channel().close();
    }

    /** The listener of the session's own writes: a failed one ends the session. */
    @Override
    public void operationComplete(ChannelFuture future) {
        if (!future.isSuccess()) {
            writeFailed(future.cause());
        }
    }

    /** The channel closed: forgets the session, settles what waited on it, reports the device offline. */
    public void closed() {
        boolean wasOnline = userId != null && state != REFUSED;
        state = CLOSING;
        context.unsweep(channel().eventLoop(), this);
        context.metrics().closed(clientType(), closeCode);
        if (admission == 0) {
            admission = SessionContext.EDGE_FULL;
            context.metrics().closedOpen(clientType());
            context.connectionClosed(address());
        } else if ((admission & HELD) != 0) {
            admission &= ~HELD;
            context.refusedClosed();
        }
        if (!wasOnline) {
            return;
        }
        context.registry().unregister(this);
        if (pendingAcks != null) {
            for (PendingAck pending : pendingAcks.values()) {
                pending.timeout.cancel(false);
                context.metrics().push(Push.ACK_TIMEOUT);
                pending.result.complete(new PushResult(Outcome.ACK_TIMEOUT, "connection closed before the ack"));
            }
            pendingAcks.clear();
        }
        context.listener().onDisconnected(this, closeCode, closeReason);
    }

    // ---- deadlines ----

    /** Returns when {@link #deadline} is due, on the event loop's ticker. */
    long deadlineNanos() {
        return deadlineNanos;
    }

    /** Checks the session's deadline, which is due: the Hello, then silence, pings, or a Bye that did not leave. */
    void deadline(long now) {
        switch (state) {
            case CLOSING, REFUSED -> {
                state = CLOSING;
                channel().close();
            }
            case AWAITING_HELLO, AUTHENTICATING -> bye(StatusCode.TIMEOUT, "no " + transport.helloName() + " within "
                    + context.config().sessions().helloTimeout().toMillis() + " ms");
            default -> checkSilence(now);
        }
    }

    private void checkSilence(long now) {
        long silent = now - lastReadNanos;
        long ping = context.serverPingNanos(clientType());
        if (ping <= 0) {
            long idle = context.idleNanos(clientType());
            if (silent >= idle) {
                bye(StatusCode.TIMEOUT, "idle");
            } else {
                deadlineNanos = lastReadNanos + idle;
            }
        } else if (silent >= 2 * ping) {
            bye(StatusCode.TIMEOUT, "no answer to pings");
        } else if (silent >= ping) {
            if (pingedAtReadNanos != lastReadNanos) {
                if (channel().isWritable()) {
                    pingedAtReadNanos = lastReadNanos;
                    writeGuarded(() -> transport.writePing());
                } else {
                    context.metrics().writeBufferFull();
                }
            }
            deadlineNanos = lastReadNanos + 2 * ping;
        } else {
            deadlineNanos = lastReadNanos + ping;
        }
    }

    // ---- pushes ----

    /**
     * Writes {@code message} to the device. Completes with DELIVERED once written (or
     * ACKNOWLEDGED / ACK_TIMEOUT when {@code ackTimeoutMs > 0}), OFFLINE when the
     * connection is gone, FAILED when it cannot take the push; never exceptionally, and
     * always within {@link #WRITE_TIMEOUT_MS} or the ack wait, whichever applies. Any
     * thread; the caller keeps its reference to the payload.
     */
    public CompletableFuture<PushResult> push(PushMessage message, long ackTimeoutMs) {
        CompletableFuture<PushResult> result = new CompletableFuture<>();
        EventLoop loop = channel().eventLoop();
        if (loop.inEventLoop()) {
            pushOnLoop(message, ackTimeoutMs, result);
        } else {
            message.payload().retain();
            try {
                loop.execute(() -> {
                    try {
                        pushOnLoop(message, ackTimeoutMs, result);
                    } finally {
                        message.payload().release();
                    }
                });
            } catch (RejectedExecutionException e) {
                message.payload().release();
                context.metrics().push(Push.OFFLINE);
                result.complete(new PushResult(Outcome.OFFLINE, "edge is shutting down"));
            }
        }
        return result;
    }

    private void pushOnLoop(PushMessage message, long ackTimeoutMs, CompletableFuture<PushResult> result) {
        EdgeMetrics metrics = context.metrics();
        if (state != ONLINE || !channel().isActive()) {
            metrics.push(Push.OFFLINE);
            result.complete(new PushResult(Outcome.OFFLINE, "connection closed"));
            return;
        }
        int size = message.payload().readableBytes();
        if (size > transport.maxPushPayload()) {
            metrics.push(Push.FAILED);
            result.complete(PushResult.failed("payload of " + size + " bytes over the limit of "
                    + transport.maxPushPayload() + " bytes of " + clientType()));
            return;
        }
        if (!channel().isWritable()) {
            metrics.push(Push.UNWRITABLE);
            metrics.writeBufferFull();
            result.complete(PushResult.failed("device is not reading: its write buffer is full"));
            return;
        }
        long seq = nextPushSeq();
        boolean waitAck = ackTimeoutMs > 0;
        if (waitAck) {
            if (pendingAcks == null) {
                pendingAcks = new LongObjectHashMap<>(4);
            }
            int max = context.config().sessions().maxPendingAcks();
            if (pendingAcks.size() >= max || pendingAcks.containsKey(seq)) {
                metrics.push(Push.FAILED);
                result.complete(PushResult.failed("too many unacknowledged pushes (max " + max + ")"));
                return;
            }
            ScheduledFuture<?> timeout = channel().eventLoop().schedule(
                    () -> ackTimedOut(seq, ackTimeoutMs), ackTimeoutMs, TimeUnit.MILLISECONDS);
            pendingAcks.put(seq, new PendingAck(result, timeout));
        }
        creditFrame();
        ChannelFuture write = writeGuarded(() -> transport.writePush(seq, message));
        // On the event loop a write the socket takes is done here already: only one still queued
        // behind a device that is not reading costs a timer.
        ScheduledFuture<?> writeTimeout = waitAck || write.isDone() ? null : channel().eventLoop().schedule(() -> {
            if (result.complete(PushResult.failed("not written within " + WRITE_TIMEOUT_MS
                    + " ms: device is not reading"))) {
                metrics.push(Push.FAILED);
            }
        }, WRITE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        write.addListener(written -> {
            if (writeTimeout != null) {
                writeTimeout.cancel(false);
            }
            if (!written.isSuccess()) {
                PendingAck pending = waitAck ? pendingAcks.remove(seq) : null;
                if (pending != null) {
                    pending.timeout.cancel(false);
                }
                metrics.push(Push.FAILED);
                result.complete(PushResult.failed("write failed: " + written.cause()));
            } else {
                metrics.push(Push.WRITTEN);
                if (!waitAck) {
                    result.complete(PushResult.DELIVERED);
                }
            }
        });
    }

    /**
     * Writes {@code message} and waits for nothing: no ack, no write future, so that a
     * broadcast costs each connection its frame alone. A connection that is not reading
     * is skipped rather than queued for. The push takes a sequence number no push waiting
     * for its ack holds, so that the device's ack of it settles nothing else. Event loop
     * only; the caller keeps its reference to the payload, whose size the caller checked.
     */
    public PushWrite pushUnacked(PushMessage message) {
        EdgeMetrics metrics = context.metrics();
        if (state != ONLINE || !channel().isActive()) {
            metrics.push(Push.OFFLINE);
            return PushWrite.CLOSED;
        }
        if (!channel().isWritable()) {
            metrics.push(Push.UNWRITABLE);
            metrics.writeBufferFull();
            return PushWrite.UNWRITABLE;
        }
        if (message.payload().readableBytes() > transport.maxPushPayload()) {
            // Skipped, as a connection that cannot take it: an encrypted TCP session carries 16 bytes less.
            metrics.push(Push.FAILED);
            return PushWrite.UNWRITABLE;
        }
        long seq = nextPushSeq();
        while (pendingAcks != null && pendingAcks.containsKey(seq)) {
            seq = nextPushSeq();
        }
        creditFrame();
        try {
            transport.writePushUnacked(seq, message);
        } catch (Throwable encodeFailure) {
            writeFailed(encodeFailure);
            metrics.push(Push.FAILED);
            return PushWrite.CLOSED;
        }
        metrics.push(Push.WRITTEN);
        return PushWrite.WRITTEN;
    }

    /** Each push lets the device send one more frame, its ack: acks never count against it. */
    private void creditFrame() {
        if (frames < MAX_FRAME_CREDIT) {
            frames++;
        }
    }

    private long nextPushSeq() {
        lastPushSeq = lastPushSeq >= transport.maxPushSeq() ? 1 : lastPushSeq + 1;
        return lastPushSeq;
    }

    private void ackTimedOut(long seq, long ackTimeoutMs) {
        PendingAck pending = pendingAcks == null ? null : pendingAcks.remove(seq);
        if (pending != null) {
            context.metrics().push(Push.ACK_TIMEOUT);
            pending.result.complete(new PushResult(Outcome.ACK_TIMEOUT, "no ack within " + ackTimeoutMs + " ms"));
        }
    }

    // ---- closing ----

    /** Closes the connection with a Bye code; any thread. */
    @Override
    public void close(int code, String reason) {
        EventLoop loop = channel().eventLoop();
        if (loop.inEventLoop()) {
            bye(code, reason);
        } else {
            try {
                loop.execute(() -> bye(code, reason));
            } catch (RejectedExecutionException e) {
                channel().close();
            }
        }
    }

    private void bye(int code, String reason) {
        bye(code, reason, null);
    }

    /** Sends Bye {@code code} and closes; the first reason to close wins. */
    private void bye(int code, String reason, Object detail) {
        boolean online = state == ONLINE;
        if (!beginClose(code, reason)) {
            return;
        }
        // Nothing after a Bye is read: the peer's remaining input is dropped with the connection.
        channel().config().setAutoRead(false);
        // A device that reads nothing would hold the Bye, and the connection, for ever.
        deadlineNanos = now() + WRITE_TIMEOUT_NANOS;
        ChannelFuture written;
        try {
            written = transport.writeBye(code, reason, online, detail);
        } catch (Throwable byeFailure) {
            // The Bye's own class may be what failed to load: the close still has to happen.
            written = channel().newFailedFuture(byeFailure);
        }
        // CLOSE closes on failure too, so a Bye that cannot be written still ends the connection.
        written.addListener(ChannelFutureListener.CLOSE);
    }

    /**
     * Records why the connection closes, once: returns false when it was closing already. Logs
     * the one line of a close the device or the operator should hear of.
     */
    private boolean beginClose(int code, String reason) {
        if (state == CLOSING) {
            return false;
        }
        state = CLOSING;
        closeCode = code;
        closeReason = reason;
        boolean news = code == StatusCode.BAD_REQUEST || code == StatusCode.UNAUTHORIZED
                || code == StatusCode.TOO_LARGE || code == StatusCode.TOO_MANY || code == StatusCode.INTERNAL;
        if (!(news ? log.isInfoEnabled() : log.isDebugEnabled())) {
            // Most closes are ordinary and logged at debug: no label is formatted for a line nobody reads.
            return true;
        }
        String label = label();
        // The fields JSON logs carry besides the message.
        LoggingEventBuilder line = (news ? log.atInfo() : log.atDebug())
                .addKeyValue("conn", label)
                .addKeyValue("code", code);
        if (userId != null) {
            line = line.addKeyValue("user", userId);
        }
        line.log("conn {}: closing with Bye {}: {}", label, code, reason);
        return true;
    }

    /** Runs a write of the transport; one that throws (an encoder, a missing class) ends the session. */
    private ChannelFuture writeGuarded(WriteCall write) {
        try {
            return write.run().addListener(this);
        } catch (Throwable failure) {
            writeFailed(failure);
            return channel().newFailedFuture(failure);
        }
    }

    @FunctionalInterface
    private interface WriteCall {
        ChannelFuture run();
    }

    private long now() {
        return channel().eventLoop().ticker().nanoTime();
    }

    /** Returns the connection id once online, the device's address before. */
    public String label() {
        return userId != null ? connId() : clientAddr();
    }

    @Override
    public String toString() {
        return "Session(" + label() + ", user=" + userId + ", device=" + deviceId + ")";
    }

    private record PendingAck(CompletableFuture<PushResult> result, ScheduledFuture<?> timeout) {
    }
}
