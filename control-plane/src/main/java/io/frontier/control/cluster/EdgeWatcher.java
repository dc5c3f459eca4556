package io.frontier.control.cluster;

import io.frontier.api.v1.EdgeRecord;
import io.frontier.control.edges.EdgeDirectory;
import io.frontier.control.edges.GrpcEdgeGateway;
import io.frontier.status.UserStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the directory of edges current, and purges the entries of an edge's instance the moment
 * its registration goes.
 */
final class EdgeWatcher implements EdgeMembership.Listener {
    private static final Logger log = LoggerFactory.getLogger(EdgeWatcher.class);

    private final EdgeDirectory directory;
    private final GrpcEdgeGateway edges;
    private final UserStatus status;
    private volatile boolean synced;

    EdgeWatcher(EdgeDirectory directory, GrpcEdgeGateway edges, UserStatus status) {
        this.directory = directory;
        this.edges = edges;
        this.status = status;
    }

    /** Returns whether the directory has seen a whole listing of the edges: before, a missing edge proves nothing. */
    boolean synced() {
        return synced;
    }

    @Override
    public void onPut(EdgeRecord edge) {
        directory.put(edge);
    }

    @Override
    public void onDelete(String edgeId, EdgeRecord previous) {
        directory.remove(edgeId);
        if (previous == null) {
            // Which instance went is unknown: the sweep removes the entries once the edge id stays away.
            return;
        }
        edges.forget(previous);
        status.purgeEdge(edgeId, previous.getInstanceId()).whenComplete((removed, error) -> {
            if (error != null) {
                log.warn("edge {} is gone, but its entries were not removed now ({}); the sweep will", edgeId,
                        error.toString());
            } else {
                log.info("edge {} is gone: removed its {} entries", edgeId, removed);
            }
        });
    }

    @Override
    public void onSynced() {
        synced = true;
    }
}
