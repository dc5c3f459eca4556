package io.frontier.edge.internal.session;

import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.SendMessageReply;
import io.frontier.api.v1.SendMessageRequestOrBuilder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;

/**
 * How one protocol puts the session's messages on the wire: the only thing a
 * {@link DeviceSession} asks of its transport. Every rule (when to answer, when to
 * close, with which code) is the session's; a transport encodes. Called on the
 * channel's event loop only. A write that fails is reported to the session through
 * {@link DeviceSession#writeFailed}, whatever failed (the encoder, a class that did
 * not load, the socket).
 */
public interface Transport {
    /** Returns the channel of the device. */
    Channel channel();

    /** Returns the protocol's client type. */
    ClientType clientType();

    /** Returns what the protocol calls its opening message in log lines and Byes: "Hello", "upgrade". */
    String helloName();

    /** Returns the largest push sequence number before it wraps to 1. */
    long maxPushSeq();

    /** Returns the largest push payload the protocol can carry. */
    int maxPushPayload();

    /** Writes the answer to the device's opening message, now that {@code session} is online. */
    ChannelFuture writeHello(DeviceSession session);

    /** Writes and flushes one push; the transport releases nothing of {@code message}. */
    ChannelFuture writePush(long seq, PushMessage message);

    /**
     * Writes and flushes one push with the channel's void promise, so that no future or
     * listener is made for it. The transport releases nothing of {@code message}.
     */
    void writePushUnacked(long seq, PushMessage message);

    /** Writes the answer to an upstream request. */
    ChannelFuture writeReply(SendMessageRequestOrBuilder request, SendMessageReply reply);

    /**
     * Answers a ping of the device: {@code seq} is the protocol's sequence number, {@code data}
     * what the ping carried (or null). The transport releases {@code data}.
     */
    ChannelFuture writePong(int seq, ByteBuf data);

    /** Pings a device that has been silent: only for a protocol whose server pings. */
    ChannelFuture writePing();

    /**
     * Writes what ends the connection with {@code code} (a Bye, then whatever the protocol
     * closes with) and returns the future of that write; the session closes the channel when
     * it completes. {@code online} says whether the device speaks the session protocol yet;
     * {@code detail} is a transport's own hint from the error that ended it, or null.
     */
    ChannelFuture writeBye(int code, String reason, boolean online, Object detail);

    /** Returns the future after which a connection the device said Bye on may close. */
    ChannelFuture acknowledgeDeviceBye();
}
