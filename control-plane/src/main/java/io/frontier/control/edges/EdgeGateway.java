package io.frontier.control.edges;

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
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * How the control plane reaches edges: in the same process in standalone mode, over
 * the edge's gRPC service in a cluster. Calls never block the caller.
 */
public interface EdgeGateway {
    /**
     * Returns the edge's outcomes for a push to some of its connections. Fails with
     * {@link EdgeUnavailableException} when the edge cannot be reached.
     */
    CompletableFuture<DeliverReply> deliver(String edgeId, DeliverRequest request);

    /**
     * Returns an edge's counts for a push to every one of its connections (of the
     * request's client types). Fails with {@link EdgeUnavailableException} when the edge
     * cannot be reached.
     */
    CompletableFuture<EdgeBroadcastReply> broadcast(String edgeId, EdgeBroadcastRequest request);

    /** Closes one connection of an edge with a Bye code. */
    CompletableFuture<KickReply> kick(String edgeId, KickRequest request);

    /** Returns the id of the edge whose connection ids carry {@code address}. */
    Optional<String> edgeAt(InetSocketAddress address);

    /** Returns the edges known now, as they registered themselves. */
    List<EdgeRecord> edges();

    /** Returns one page of an edge's connections and its counts. */
    CompletableFuture<ListConnectionsReply> listConnections(String edgeId, ListConnectionsRequest request);

    /** Returns an edge's counts and whether it drains. */
    CompletableFuture<EdgeStatsReply> stats(String edgeId);

    /** Makes an edge stop accepting devices and close its connections within the request's window. */
    CompletableFuture<DrainEdgeReply> drain(String edgeId, DrainEdgeRequest request);

    /** Makes a draining edge accept devices again. */
    CompletableFuture<UndrainEdgeReply> undrain(String edgeId);
}
