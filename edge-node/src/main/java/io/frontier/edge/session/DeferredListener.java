package io.frontier.edge.session;

/**
 * A listener whose target is set after the edge starts: what listens (an EdgeLink
 * client, the control plane) often needs the edge's registry first.
 * Events before {@link #set} are dropped: no device can be online before the edge is.
 */
public final class DeferredListener implements SessionListener {
    private volatile SessionListener target = SessionListener.NONE;

    /** Sends every later event to {@code listener}. */
    public void set(SessionListener listener) {
        this.target = listener;
    }

    @Override
    public void onConnected(Session session) {
        target.onConnected(session);
    }

    @Override
    public void onDisconnected(Session session, int code, String reason) {
        target.onDisconnected(session, code, reason);
    }
}
