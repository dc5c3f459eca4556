package io.frontier.launcher;

import io.frontier.api.v1.ConnectionInfo;
import io.frontier.control.events.ConnectionEvents;
import io.frontier.control.events.EventNotifier;
import io.frontier.control.status.StatusUpdater;
import io.frontier.edge.session.Session;
import io.frontier.edge.session.SessionListener;
import java.time.Clock;

/**
 * Hands the edge's session events straight to the control plane's status updater and,
 * when backends subscribed, to the event notifier.
 */
final class StatusReporter implements SessionListener {
    private final StatusUpdater updater;
    private final String edgeId;
    private final String edgeInstance;
    private final EventNotifier events;
    private final Clock clock;

    /** Creates the reporter; {@code events} is null when no backend subscribed to connection events. */
    StatusReporter(StatusUpdater updater, String edgeId, String edgeInstance, EventNotifier events, Clock clock) {
        this.updater = updater;
        this.edgeId = edgeId;
        this.edgeInstance = edgeInstance;
        this.events = events;
        this.clock = clock;
    }

    @Override
    public void onConnected(Session session) {
        ConnectionInfo info = session.info(edgeId);
        updater.connected(info, edgeInstance);
        if (events != null) {
            events.publish(ConnectionEvents.connected(info, clock.millis()));
        }
    }

    @Override
    public void onDisconnected(Session session, int code, String reason) {
        ConnectionInfo info = session.info(edgeId);
        updater.disconnected(info);
        if (events != null) {
            events.publish(ConnectionEvents.disconnected(info, code, reason, clock.millis()));
        }
    }
}
