package io.frontier.control.status;

import io.frontier.api.v1.ConnectionInfo;
import io.frontier.api.v1.KickRequest;
import io.frontier.control.edges.EdgeGateway;
import io.frontier.control.events.ConnectionEvents;
import io.frontier.control.events.EventNotifier;
import io.frontier.protocol.StatusCode;
import io.frontier.status.ConnectResult;
import io.frontier.status.DeviceEntry;
import io.frontier.status.ReconcileResult;
import io.frontier.status.UserStatus;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies edges' connect and disconnect events to UserStatus, closes the losing
 * connection (Bye 409) when a device holds two (the older one, wherever it is, unless
 * the run of the edge that holds both closed it already), and passes each event on to
 * the backends that subscribed to them.
 */
public final class StatusUpdater {
    private static final Logger log = LoggerFactory.getLogger(StatusUpdater.class);

    private final UserStatus status;
    private final EdgeGateway edges;
    private final EventNotifier events;
    private final Clock clock;

    /** Creates an updater that tells no backend of connection events. */
    public StatusUpdater(UserStatus status, EdgeGateway edges) {
        this(status, edges, null, Clock.systemUTC());
    }

    /** Creates an updater; {@code events} is null when no backend subscribed to connection events. */
    public StatusUpdater(UserStatus status, EdgeGateway edges, EventNotifier events, Clock clock) {
        this.status = status;
        this.edges = edges;
        this.events = events;
        this.clock = clock;
    }

    /** Records a device that came online on {@code edgeInstance} of its edge. */
    public CompletionStage<ConnectResult> connected(ConnectionInfo conn, String edgeInstance) {
        if (events != null) {
            events.publish(ConnectionEvents.connected(conn, clock.millis()));
        }
        return status.connected(entry(conn, edgeInstance)).whenComplete((result, error) -> {
            if (error != null) {
                log.warn("conn {}: status not recorded: {}", conn.getConnId(), error.toString());
                return;
            }
            switch (result.outcome()) {
                case REPLACED -> result.other().ifPresent(old ->
                        replace(old, conn.getEdgeId(), edgeInstance, conn.getConnId()));
                case STALE -> result.other().ifPresent(newer ->
                        replace(entry(conn, edgeInstance), newer.edgeId(), newer.edgeInstance(), newer.connId()));
                default -> {
                }
            }
        });
    }

    /** Forgets a connection that closed without a known Bye. */
    public CompletionStage<Boolean> disconnected(ConnectionInfo conn) {
        return disconnected(conn, 0, "");
    }

    /**
     * Forgets a connection that closed with Bye {@code code}, unless its device's entry
     * already names a newer one.
     */
    public CompletionStage<Boolean> disconnected(ConnectionInfo conn, int code, String reason) {
        if (events != null) {
            events.publish(ConnectionEvents.disconnected(conn, code, reason, clock.millis()));
        }
        return status.disconnected(conn.getUserId(), conn.getClientType(), conn.getDeviceId(), conn.getConnId())
                .whenComplete((removed, error) -> {
                    if (error != null) {
                        log.warn("conn {}: disconnect not recorded: {}", conn.getConnId(), error.toString());
                    }
                });
    }

    /**
     * Makes UserStatus hold exactly the connections of an edge's snapshot for that edge,
     * and closes the losers where a device holds two connections.
     */
    public CompletionStage<ReconcileResult> reconcile(String edgeId, String edgeInstance, List<ConnectionInfo> snapshot) {
        List<DeviceEntry> entries = new ArrayList<>(snapshot.size());
        for (ConnectionInfo conn : snapshot) {
            entries.add(entry(conn, edgeInstance));
        }
        return status.reconcile(edgeId, edgeInstance, entries).whenComplete((result, error) -> {
            if (error != null) {
                log.warn("edge {}: snapshot of {} connections not applied: {}", edgeId, snapshot.size(), error.toString());
                return;
            }
            for (ConnectResult conflict : result.conflicts()) {
                DeviceEntry other = conflict.other().orElseThrow();
                if (conflict.outcome() == ConnectResult.Outcome.REPLACED) {
                    replace(other, edgeId, edgeInstance, "a connection of edge " + edgeId);
                } else {
                    // STALE names the newer entry that stays: the losers are this snapshot's other connections of that device.
                    for (DeviceEntry mine : entries) {
                        if (sameDevice(mine, other) && !mine.connId().equals(other.connId())) {
                            replace(mine, other.edgeId(), other.edgeInstance(), other.connId());
                        }
                    }
                }
            }
        });
    }

    private static boolean sameDevice(DeviceEntry a, DeviceEntry b) {
        return a.userId().equals(b.userId()) && a.clientType() == b.clientType() && a.deviceId().equals(b.deviceId());
    }

    private static DeviceEntry entry(ConnectionInfo conn, String edgeInstance) {
        return new DeviceEntry(conn.getUserId(), conn.getClientType(), conn.getDeviceId(), conn.getConnId(),
                conn.getEdgeId(), edgeInstance, conn.getClientAddr(), conn.getConnectedAtMs());
    }

    /**
     * Closes the connection that lost its device's entry to a connection on {@code winnerEdgeId}'s run
     * {@code winnerInstance} with Bye 409, unless both are on the same run of the same edge: that edge holds
     * one connection per device and closed the loser itself when the winner came. A loser on another edge,
     * or on another run of the same edge id, is kicked.
     */
    private void replace(DeviceEntry loser, String winnerEdgeId, String winnerInstance, String winnerConnId) {
        if (loser.edgeId().equals(winnerEdgeId) && loser.edgeInstance().equals(winnerInstance)) {
            return;
        }
        KickRequest kick = KickRequest.newBuilder()
                .setConnId(loser.connId())
                .setCode(StatusCode.REPLACED)
                .setReason("replaced by a newer connection of the device")
                .build();
        CompletableFuture<?> done = edges.kick(loser.edgeId(), kick);
        done.whenComplete((reply, error) -> {
            if (error != null) {
                log.info("conn {}: could not close it after {} replaced it: {}", loser.connId(), winnerConnId,
                        error.toString());
            }
        });
    }
}
