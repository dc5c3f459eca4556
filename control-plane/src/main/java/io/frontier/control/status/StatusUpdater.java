package io.frontier.control.status;

import io.frontier.api.v1.ConnectionInfo;
import io.frontier.api.v1.KickRequest;
import io.frontier.control.edges.EdgeGateway;
import io.frontier.protocol.StatusCode;
import io.frontier.status.ConnectResult;
import io.frontier.status.DeviceEntry;
import io.frontier.status.UserStatus;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Applies edges' connect and disconnect events to UserStatus, and closes the losing
 * connection (Bye 409) when a device holds two: the older one, wherever it is.
 */
public final class StatusUpdater {
    private static final Logger log = LoggerFactory.getLogger(StatusUpdater.class);

    private final UserStatus status;
    private final EdgeGateway edges;

    public StatusUpdater(UserStatus status, EdgeGateway edges) {
        this.status = status;
        this.edges = edges;
    }

    /** Records a device that came online on {@code edgeInstance} of its edge. */
    public CompletionStage<ConnectResult> connected(ConnectionInfo conn, String edgeInstance) {
        DeviceEntry entry = new DeviceEntry(conn.getUserId(), conn.getClientType(), conn.getDeviceId(), conn.getConnId(),
                conn.getEdgeId(), edgeInstance, conn.getClientAddr(), conn.getConnectedAtMs());
        return status.connected(entry).whenComplete((result, error) -> {
            if (error != null) {
                log.warn("conn {}: status not recorded: {}", conn.getConnId(), error.toString());
                return;
            }
            switch (result.outcome()) {
                case REPLACED -> result.other().ifPresent(old -> replace(old.edgeId(), old.connId(), conn.getConnId()));
                case STALE -> replace(conn.getEdgeId(), conn.getConnId(), result.other().map(DeviceEntry::connId).orElse("?"));
                default -> {
                }
            }
        });
    }

    /** Forgets a connection that closed, unless its device's entry already names a newer one. */
    public CompletionStage<Boolean> disconnected(ConnectionInfo conn) {
        return status.disconnected(conn.getUserId(), conn.getClientType(), conn.getDeviceId(), conn.getConnId())
                .whenComplete((removed, error) -> {
                    if (error != null) {
                        log.warn("conn {}: disconnect not recorded: {}", conn.getConnId(), error.toString());
                    }
                });
    }

    private void replace(String edgeId, String loserConnId, String winnerConnId) {
        KickRequest kick = KickRequest.newBuilder()
                .setConnId(loserConnId)
                .setCode(StatusCode.REPLACED)
                .setReason("replaced by a newer connection of the device")
                .build();
        CompletableFuture<?> done = edges.kick(edgeId, kick);
        done.whenComplete((reply, error) -> {
            if (error != null) {
                log.info("conn {}: could not close it after {} replaced it: {}", loserConnId, winnerConnId, error.toString());
            }
        });
    }
}
