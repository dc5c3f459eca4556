package io.frontier.edge.internal.transport.ws;

import io.frontier.edge.internal.auth.Identity;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;

/**
 * The last handler of a WebSocket connection as the handlers in front of it see it: the
 * session in production, an echo when the WebSocket stack is fuzzed. It decides who may
 * upgrade, and what becomes of every frame and ping. Event loop only.
 */
interface WsEndpoint extends ChannelHandler {
    /** Returns the HTTP status that refuses the upgrade now (429, 503), or 0; called before authentication. */
    int refusal();

    /** Returns the reason that goes with {@link #refusal()}'s status. */
    String refusalReason(int status);

    /**
     * Records who authenticated during the upgrade request; returns why the upgrade is refused
     * with 429 instead (the user holds its maximum of connections), or null.
     */
    String authenticated(Identity identity, String appVersion);

    /** Counts one frame, of any kind; returns whether to handle it (not past a limit). */
    boolean frame();

    /** Answers a ping carrying {@code data}, which this releases. */
    void ping(ByteBuf data);
}
