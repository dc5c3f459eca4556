package io.frontier.edge.session;

import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;

/**
 * The protocol side of a session: how a push and a Bye look on the wire. Called on
 * the channel's event loop only.
 */
public interface DeviceTransport {
    /** Returns the channel of the device. */
    Channel channel();

    /** Returns when the device last sent anything, in {@link System#nanoTime()} units. */
    long lastReadNanos();

    /** Returns the largest push sequence number before it wraps to 1. */
    long maxPushSeq();

    /** Writes and flushes one push; the transport releases nothing of {@code message}. */
    ChannelFuture writePush(long seq, PushMessage message);

    /**
     * Writes and flushes one push with the channel's void promise, so that no future or
     * listener is made for it: a write that fails ends the connection through the
     * pipeline, as any I/O error does. The transport releases nothing of {@code message}.
     */
    void writePushUnacked(long seq, PushMessage message);

    /** Sends a Bye with {@code code} and closes the connection. */
    void close(int code, String reason);
}
