package io.frontier.launcher;

import io.frontier.control.status.StatusUpdater;
import io.frontier.edge.session.Session;
import io.frontier.edge.session.SessionListener;

/** Hands the edge's session events straight to the control plane's status updater. */
final class StatusReporter implements SessionListener {
    private final StatusUpdater updater;
    private final String edgeId;
    private final String edgeInstance;

    StatusReporter(StatusUpdater updater, String edgeId, String edgeInstance) {
        this.updater = updater;
        this.edgeId = edgeId;
        this.edgeInstance = edgeInstance;
    }

    @Override
    public void onConnected(Session session) {
        updater.connected(session.info(edgeId), edgeInstance);
    }

    @Override
    public void onDisconnected(Session session, int code, String reason) {
        updater.disconnected(session.info(edgeId), code, reason);
    }
}
