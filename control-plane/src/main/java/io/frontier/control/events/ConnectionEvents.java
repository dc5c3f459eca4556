package io.frontier.control.events;

import static java.util.Objects.requireNonNull;

import io.frontier.api.v1.ConnectionEvent;
import io.frontier.api.v1.ConnectionInfo;

/** Builds the {@link ConnectionEvent}s that backends receive through {@code BackService.SendEvent}. */
public final class ConnectionEvents {
    private ConnectionEvents() {
    }

    /** Returns the event of {@code connection} coming online at {@code timeMs} (milliseconds since the epoch). */
    public static ConnectionEvent connected(ConnectionInfo connection, long timeMs) {
        return ConnectionEvent.newBuilder()
                .setKind(ConnectionEvent.Kind.CONNECTED)
                .setConnection(requireNonNull(connection, "connection"))
                .setTimeMs(timeMs)
                .build();
    }

    /**
     * Returns the event of {@code connection} closing at {@code timeMs} (milliseconds since the epoch).
     *
     * @param code   the Bye code that ended the connection, or 0 when it dropped without one
     * @param reason the Bye's reason; null reads as none
     */
    public static ConnectionEvent disconnected(ConnectionInfo connection, int code, String reason, long timeMs) {
        return ConnectionEvent.newBuilder()
                .setKind(ConnectionEvent.Kind.DISCONNECTED)
                .setConnection(requireNonNull(connection, "connection"))
                .setCode(code)
                .setReason(reason == null ? "" : reason)
                .setTimeMs(timeMs)
                .build();
    }
}
