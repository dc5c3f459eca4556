package io.frontier.launcher;

import io.frontier.api.v1.DeliverReply;
import io.frontier.api.v1.DeliverRequest;
import io.frontier.api.v1.KickReply;
import io.frontier.api.v1.KickRequest;
import io.frontier.control.edges.EdgeGateway;
import io.frontier.control.edges.EdgeUnavailableException;
import io.frontier.edge.EdgeNode;
import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The control plane's way to its one edge when both run in one process: direct calls,
 * no network. The edge is attached after it starts, because its session listener needs
 * the control plane first.
 */
final class LocalEdgeGateway implements EdgeGateway {
    private volatile EdgeNode edge;

    void attach(EdgeNode edge) {
        this.edge = edge;
    }

    @Override
    public CompletableFuture<DeliverReply> deliver(String edgeId, DeliverRequest request) {
        EdgeNode edge = this.edge;
        if (edge == null || !edge.edgeId().equals(edgeId)) {
            return unknown(edgeId);
        }
        try {
            return edge.delivery().deliver(request);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public CompletableFuture<KickReply> kick(String edgeId, KickRequest request) {
        EdgeNode edge = this.edge;
        if (edge == null || !edge.edgeId().equals(edgeId)) {
            return unknown(edgeId);
        }
        try {
            return CompletableFuture.completedFuture(edge.delivery().kick(request));
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public Optional<String> edgeAt(InetSocketAddress address) {
        EdgeNode edge = this.edge;
        return edge != null && edge.advertisedAddress().equals(address) ? Optional.of(edge.edgeId()) : Optional.empty();
    }

    private static <T> CompletableFuture<T> unknown(String edgeId) {
        return CompletableFuture.failedFuture(
                new EdgeUnavailableException("edge " + edgeId + " is not part of this standalone gateway", null));
    }
}
