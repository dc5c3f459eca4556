package io.frontier.launcher;

import io.frontier.api.v1.DeliverReply;
import io.frontier.api.v1.DeliverRequest;
import io.frontier.api.v1.DrainEdgeReply;
import io.frontier.api.v1.DrainEdgeRequest;
import io.frontier.api.v1.EdgeBroadcastReply;
import io.frontier.api.v1.EdgeBroadcastRequest;
import io.frontier.api.v1.EdgeRecord;
import io.frontier.api.v1.EdgeStatsReply;
import io.frontier.api.v1.KickReply;
import io.frontier.api.v1.KickRequest;
import io.frontier.api.v1.ListConnectionsReply;
import io.frontier.api.v1.ListConnectionsRequest;
import io.frontier.api.v1.UndrainEdgeReply;
import io.frontier.control.edges.EdgeGateway;
import io.frontier.control.edges.EdgeUnavailableException;
import io.frontier.edge.EdgeNode;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * The control plane's way to its one edge when both run in one process: direct calls,
 * no network. The edge is attached after it starts, because its session listener needs
 * the control plane first.
 */
final class LocalEdgeGateway implements EdgeGateway {
    private volatile EdgeNode edge;
    private volatile EdgeRecord record;

    /** Attaches the edge, described by {@code record} in the admin's list of edges. */
    void attach(EdgeNode edge, EdgeRecord record) {
        this.record = record;
        this.edge = edge;
    }

    @Override
    public CompletableFuture<DeliverReply> deliver(String edgeId, DeliverRequest request) {
        return onEdge(edgeId, edge -> edge.delivery().deliver(request));
    }

    @Override
    public CompletableFuture<EdgeBroadcastReply> broadcast(String edgeId, EdgeBroadcastRequest request) {
        return onEdge(edgeId, edge -> edge.delivery().broadcast(request));
    }

    @Override
    public CompletableFuture<KickReply> kick(String edgeId, KickRequest request) {
        return onEdge(edgeId, edge -> CompletableFuture.completedFuture(edge.delivery().kick(request)));
    }

    @Override
    public Optional<String> edgeAt(InetSocketAddress address) {
        EdgeNode edge = this.edge;
        return edge != null && edge.advertisedAddress().equals(address) ? Optional.of(edge.edgeId()) : Optional.empty();
    }

    @Override
    public List<EdgeRecord> edges() {
        EdgeRecord record = this.record;
        return record == null ? List.of() : List.of(record);
    }

    @Override
    public CompletableFuture<ListConnectionsReply> listConnections(String edgeId, ListConnectionsRequest request) {
        return onEdge(edgeId, edge -> CompletableFuture.completedFuture(edge.admin().listConnections(request)));
    }

    @Override
    public CompletableFuture<EdgeStatsReply> stats(String edgeId) {
        return onEdge(edgeId, edge -> CompletableFuture.completedFuture(edge.admin().stats()));
    }

    @Override
    public CompletableFuture<DrainEdgeReply> drain(String edgeId, DrainEdgeRequest request) {
        return onEdge(edgeId, edge -> CompletableFuture.completedFuture(edge.admin().drain(request)));
    }

    @Override
    public CompletableFuture<UndrainEdgeReply> undrain(String edgeId) {
        return onEdge(edgeId, edge -> CompletableFuture.completedFuture(edge.admin().undrain()));
    }

    /** Runs {@code call} on the edge when it is this gateway's; a rejected request fails the future. */
    private <T> CompletableFuture<T> onEdge(String edgeId, Function<EdgeNode, CompletableFuture<T>> call) {
        EdgeNode edge = this.edge;
        if (edge == null || !edge.edgeId().equals(edgeId)) {
            return CompletableFuture.failedFuture(
                    new EdgeUnavailableException("edge " + edgeId + " is not part of this standalone gateway", null));
        }
        try {
            return call.apply(edge);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
    }
}
