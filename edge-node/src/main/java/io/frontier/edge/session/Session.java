package io.frontier.edge.session;

import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.ConnectionInfo;
import io.frontier.api.v1.DeviceOutcome.Outcome;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.util.collection.LongObjectHashMap;
import io.netty.util.concurrent.ScheduledFuture;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One authenticated device connection, whatever its protocol. Identity fields are
 * immutable; push numbering and pending acks are confined to the channel's event
 * loop, so they need no lock.
 */
public final class Session {
    /**
     * How long a push that waits for no ack waits for its write: a device that stopped reading
     * with the push still under the write buffer's high water mark would hold it, and its
     * caller, until the connection closes.
     */
    public static final long WRITE_TIMEOUT_MS = 10_000;

    private final String connId;
    private final String userId;
    private final String deviceId;
    private final ClientType clientType;
    private final String appVersion;
    private final long connectedAtMs;
    private final DeviceTransport transport;
    private final int maxPendingAcks;

    // Event loop only.
    private long lastPushSeq;
    private LongObjectHashMap<PendingAck> pendingAcks;
    private int upstreamInFlight;
    private boolean closed;
    // The base of lastActivityMs(): the transport keeps read times on the nanosecond clock.
    private final long connectedAtNanos = System.nanoTime();

    public Session(String connId, String userId, String deviceId, ClientType clientType, String appVersion,
                   long connectedAtMs, DeviceTransport transport, int maxPendingAcks) {
        this.connId = connId;
        this.userId = userId;
        this.deviceId = deviceId;
        this.clientType = clientType;
        this.appVersion = appVersion;
        this.connectedAtMs = connectedAtMs;
        this.transport = transport;
        this.maxPendingAcks = maxPendingAcks;
    }

    public String connId() {
        return connId;
    }

    public String userId() {
        return userId;
    }

    public String deviceId() {
        return deviceId;
    }

    public ClientType clientType() {
        return clientType;
    }

    /**
     * Returns the device's address as "ip:port", made when asked: the channel keeps the
     * address anyway, and a string per connection would cost memory on every idle one.
     */
    public String clientAddr() {
        return SessionContext.clientAddr(channel());
    }

    public long connectedAtMs() {
        return connectedAtMs;
    }

    /**
     * Returns when the device last sent anything, in epoch milliseconds: derived from the
     * read time the transport keeps for its deadlines, so reads cost no second clock.
     */
    public long lastActivityMs() {
        return connectedAtMs + Math.max(0, transport.lastReadNanos() - connectedAtNanos) / 1_000_000;
    }

    public Channel channel() {
        return transport.channel();
    }

    /** Returns this connection as the edge reports it to the control plane and backends. */
    public ConnectionInfo info(String edgeId) {
        return ConnectionInfo.newBuilder()
                .setConnId(connId)
                .setUserId(userId)
                .setDeviceId(deviceId)
                .setClientType(clientType)
                .setClientAddr(clientAddr())
                .setEdgeId(edgeId)
                .setConnectedAtMs(connectedAtMs)
                .setAppVersion(appVersion)
                .setLastActivityMs(lastActivityMs())
                .build();
    }

    /**
     * Writes {@code message} to the device. Completes with DELIVERED once written (or
     * ACKNOWLEDGED / ACK_TIMEOUT when {@code ackTimeoutMs > 0}), OFFLINE when the
     * connection is gone, FAILED when it cannot take the push; never exceptionally, and
     * always within {@link #WRITE_TIMEOUT_MS} or the ack wait, whichever applies.
     * The caller keeps its reference to the payload.
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
                result.complete(new PushResult(Outcome.OFFLINE, "edge is shutting down"));
            }
        }
        return result;
    }

    private void pushOnLoop(PushMessage message, long ackTimeoutMs, CompletableFuture<PushResult> result) {
        Channel channel = channel();
        if (closed || !channel.isActive()) {
            result.complete(new PushResult(Outcome.OFFLINE, "connection closed"));
            return;
        }
        if (!channel.isWritable()) {
            result.complete(PushResult.failed("device is not reading: its write buffer is full"));
            return;
        }
        long seq = nextPushSeq();
        boolean waitAck = ackTimeoutMs > 0;
        if (waitAck) {
            if (pendingAcks == null) {
                pendingAcks = new LongObjectHashMap<>(4);
            }
            if (pendingAcks.size() >= maxPendingAcks || pendingAcks.containsKey(seq)) {
                result.complete(PushResult.failed("too many unacknowledged pushes (max " + maxPendingAcks + ")"));
                return;
            }
            ScheduledFuture<?> timeout = channel.eventLoop().schedule(
                    () -> ackTimedOut(seq, ackTimeoutMs), ackTimeoutMs, TimeUnit.MILLISECONDS);
            pendingAcks.put(seq, new PendingAck(result, timeout));
        }
        ChannelFuture write = transport.writePush(seq, message);
        // On the event loop a write the socket takes is done here already: only one still queued
        // behind a device that is not reading costs a timer.
        ScheduledFuture<?> writeTimeout = waitAck || write.isDone() ? null : channel.eventLoop().schedule(
                () -> result.complete(PushResult.failed("not written within " + WRITE_TIMEOUT_MS
                        + " ms: device is not reading")), WRITE_TIMEOUT_MS, TimeUnit.MILLISECONDS);
        write.addListener(written -> {
            if (writeTimeout != null) {
                writeTimeout.cancel(false);
            }
            if (!written.isSuccess()) {
                PendingAck pending = waitAck ? pendingAcks.remove(seq) : null;
                if (pending != null) {
                    pending.timeout.cancel(false);
                }
                result.complete(PushResult.failed("write failed: " + written.cause()));
            } else if (!waitAck) {
                result.complete(PushResult.DELIVERED);
            }
        });
    }

    /**
     * Writes {@code message} and waits for nothing: no ack, no write future, so that a
     * broadcast costs each connection its frame alone. A connection that is not reading
     * is skipped rather than queued for. The push takes a sequence number no push waiting
     * for its ack holds, so that the device's ack of it settles nothing else. Event loop
     * only; the caller keeps its reference to the payload.
     */
    public PushWrite pushUnacked(PushMessage message) {
        Channel channel = channel();
        if (closed || !channel.isActive()) {
            return PushWrite.CLOSED;
        }
        if (!channel.isWritable()) {
            return PushWrite.UNWRITABLE;
        }
        long seq = nextPushSeq();
        while (pendingAcks != null && pendingAcks.containsKey(seq)) {
            seq = nextPushSeq();
        }
        transport.writePushUnacked(seq, message);
        return PushWrite.WRITTEN;
    }

    private long nextPushSeq() {
        lastPushSeq = lastPushSeq >= transport.maxPushSeq() ? 1 : lastPushSeq + 1;
        return lastPushSeq;
    }

    /** Handles the device's ack of push {@code seq}; an ack for no pending push is ignored. Event loop only. */
    public void onAck(long seq) {
        PendingAck pending = pendingAcks == null ? null : pendingAcks.remove(seq);
        if (pending != null) {
            pending.timeout.cancel(false);
            pending.result.complete(PushResult.ACKNOWLEDGED);
        }
    }

    private void ackTimedOut(long seq, long ackTimeoutMs) {
        PendingAck pending = pendingAcks == null ? null : pendingAcks.remove(seq);
        if (pending != null) {
            pending.result.complete(new PushResult(Outcome.ACK_TIMEOUT, "no ack within " + ackTimeoutMs + " ms"));
        }
    }

    /** Settles every push still waiting for an ack. Event loop only, when the channel closed. */
    public void onClosed() {
        closed = true;
        if (pendingAcks != null) {
            for (PendingAck pending : pendingAcks.values()) {
                pending.timeout.cancel(false);
                pending.result.complete(new PushResult(Outcome.ACK_TIMEOUT, "connection closed before the ack"));
            }
            pendingAcks.clear();
        }
    }

    /**
     * Takes one upstream slot. Returns false when {@code max} requests are already in
     * flight. Event loop only.
     */
    public boolean tryStartUpstream(int max) {
        if (upstreamInFlight >= max) {
            return false;
        }
        upstreamInFlight++;
        return true;
    }

    /** Returns an upstream slot. Event loop only. */
    public void upstreamDone() {
        upstreamInFlight--;
    }

    /** Closes the connection with a Bye code; safe from any thread. */
    public void close(int code, String reason) {
        EventLoop loop = channel().eventLoop();
        if (loop.inEventLoop()) {
            transport.close(code, reason);
        } else {
            try {
                loop.execute(() -> transport.close(code, reason));
            } catch (RejectedExecutionException e) {
                channel().close();
            }
        }
    }

    @Override
    public String toString() {
        return "Session(" + connId + ", user=" + userId + ", device=" + deviceId + ")";
    }

    private record PendingAck(CompletableFuture<PushResult> result, ScheduledFuture<?> timeout) {
    }
}
