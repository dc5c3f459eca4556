package io.frontier.control.push;

import io.frontier.api.v1.BroadcastReply;
import io.frontier.api.v1.BroadcastRequest;
import io.frontier.api.v1.EdgeBroadcastReply;
import io.frontier.api.v1.EdgeBroadcastRequest;
import io.frontier.api.v1.EdgeRecord;
import io.frontier.control.edges.EdgeGateway;
import io.frontier.control.metrics.EdgeCallMetrics;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A broadcast through the control plane: every edge known now is called at once, and
 * their counts are merged into one reply. An edge that fails or cannot be reached gets
 * an error in its result and fails nothing else.
 */
final class EdgeBroadcasts {
    private EdgeBroadcasts() {
    }

    /** Completes with one result per edge, ordered by edge id, and the totals; never exceptionally. */
    static CompletableFuture<BroadcastReply> broadcast(EdgeGateway edges, BroadcastRequest request,
                                                       EdgeCallMetrics metrics) {
        EdgeBroadcastRequest toEdge = EdgeBroadcastRequest.newBuilder()
                .setPayload(request.getPayload())
                .setPayloadType(request.getPayloadType())
                .setService(request.getService())
                .addAllClientTypes(request.getClientTypesList())
                .setLogid(request.getLogid())
                .build();
        List<String> edgeIds = edges.edges().stream().map(EdgeRecord::getEdgeId).sorted(Comparator.naturalOrder()).toList();
        List<CompletableFuture<BroadcastReply.EdgeResult>> calls = new ArrayList<>(edgeIds.size());
        for (String edgeId : edgeIds) {
            calls.add(EdgeCalls.safely(() -> edges.broadcast(edgeId, toEdge)).handle((reply, error) -> {
                metrics.called(edgeId, EdgeCallMetrics.Call.BROADCAST, EdgeCalls.result(error));
                return result(edgeId, reply, error);
            }));
        }
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            BroadcastReply.Builder reply = BroadcastReply.newBuilder().setEdges(calls.size());
            long written = 0;
            long skipped = 0;
            for (CompletableFuture<BroadcastReply.EdgeResult> call : calls) {
                BroadcastReply.EdgeResult result = call.join();
                reply.addResults(result);
                written += Integer.toUnsignedLong(result.getWritten());
                skipped += Integer.toUnsignedLong(result.getSkippedUnwritable())
                        + Integer.toUnsignedLong(result.getSkippedClosed());
            }
            return reply.setWritten(written).setSkipped(skipped).build();
        });
    }

    private static BroadcastReply.EdgeResult result(String edgeId, EdgeBroadcastReply reply, Throwable error) {
        BroadcastReply.EdgeResult.Builder result = BroadcastReply.EdgeResult.newBuilder().setEdgeId(edgeId);
        if (error != null) {
            return result.setError(EdgeCalls.reason(error)).build();
        }
        return result.setWritten(reply.getWritten())
                .setSkippedUnwritable(reply.getSkippedUnwritable())
                .setSkippedClosed(reply.getSkippedClosed())
                .build();
    }
}
