package io.frontier.edge.session;

/**
 * Hears of devices coming and going: the control plane in standalone mode, the
 * EdgeLink stream in a cluster. Called on event loops: implementations must not block.
 */
public interface SessionListener {
    /** A device authenticated and is online. */
    void onConnected(Session session);

    /**
     * A device's connection closed. {@code code} is the Bye code that ended it (the
     * device's own, or the server's), or 0 when the connection dropped without one.
     */
    void onDisconnected(Session session, int code, String reason);

    /** A listener that ignores everything. */
    SessionListener NONE = new SessionListener() {
        @Override
        public void onConnected(Session session) {
        }

        @Override
        public void onDisconnected(Session session, int code, String reason) {
        }
    };
}
