package io.frontier.control.edges;

import io.frontier.api.v1.DeliverReply;
import io.frontier.api.v1.DeliverRequest;
import io.frontier.api.v1.EdgeBroadcastReply;
import io.frontier.api.v1.EdgeBroadcastRequest;
import io.frontier.api.v1.EdgeRecord;
import io.frontier.api.v1.EdgeServiceGrpc;
import io.frontier.api.v1.DrainEdgeReply;
import io.frontier.api.v1.DrainEdgeRequest;
import io.frontier.api.v1.EdgeStatsReply;
import io.frontier.api.v1.EdgeStatsRequest;
import io.frontier.api.v1.KickReply;
import io.frontier.api.v1.KickRequest;
import io.frontier.api.v1.ListConnectionsReply;
import io.frontier.api.v1.ListConnectionsRequest;
import io.frontier.api.v1.UndrainEdgeReply;
import io.frontier.api.v1.UndrainEdgeRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;

/**
 * Reaches edges over their own gRPC service (Deliver, Broadcast, Kick, the admin calls), at the addresses discovery
 * publishes. One channel per edge address, kept while the edge lives (gRPC channels
 * multiplex every call), closed when it goes; pushes go on one stream of deliveries per edge
 * ({@link EdgeStream}), opened again when it ends. An edge that is not registered, or whose
 * address refuses connections, is unavailable: its devices are offline.
 */
public final class GrpcEdgeGateway implements EdgeGateway, AutoCloseable {
    private final EdgeDirectory directory;
    private final Function<String, ManagedChannel> open;
    private final Duration deadline;
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private final Map<String, EdgeStream> streams = new ConcurrentHashMap<>();

    /**
     * Creates a gateway; {@code deadline} bounds each call beyond the push's own ack wait.
     */
    public GrpcEdgeGateway(EdgeDirectory directory, Function<String, ManagedChannel> open, Duration deadline) {
        this.directory = directory;
        this.open = open;
        this.deadline = deadline;
    }

    /** Delivers on the edge's stream of deliveries, or as a call of its own to an edge that has none. */
    @Override
    public CompletableFuture<DeliverReply> deliver(String edgeId, DeliverRequest request) {
        Optional<EdgeRecord> edge = directory.get(edgeId);
        if (edge.isEmpty()) {
            return notRegistered(edgeId);
        }
        String address = edge.get().getGrpcAddress();
        EdgeStream stream = streams.get(address);
        if (stream == null || !stream.isOpen()) {
            if (stream != null && stream.isUnsupported()) {
                return deliverAlone(edgeId, request);
            }
            stream = streams.compute(address, (ignored, current) -> current != null && current.isOpen() ? current
                    : EdgeStream.open(edgeId, channel(address), alone -> deliverAlone(edgeId, alone)));
        }
        return stream.deliver(request, deliverTimeoutMs(request));
    }

    private CompletableFuture<DeliverReply> deliverAlone(String edgeId, DeliverRequest request) {
        return call(edgeId, deliverTimeoutMs(request), (stub, observer) -> stub.deliver(request, observer));
    }

    private long deliverTimeoutMs(DeliverRequest request) {
        return deadline.toMillis() + (request.getWaitAck() ? Integer.toUnsignedLong(request.getAckTimeoutMs()) : 0);
    }

    @Override
    public CompletableFuture<EdgeBroadcastReply> broadcast(String edgeId, EdgeBroadcastRequest request) {
        return call(edgeId, deadline.toMillis(), (stub, observer) -> stub.broadcast(request, observer));
    }

    @Override
    public CompletableFuture<KickReply> kick(String edgeId, KickRequest request) {
        return call(edgeId, deadline.toMillis(), (stub, observer) -> stub.kick(request, observer));
    }

    @Override
    public Optional<String> edgeAt(InetSocketAddress address) {
        return directory.edgeAt(address);
    }

    @Override
    public List<EdgeRecord> edges() {
        return directory.all().stream().sorted(Comparator.comparing(EdgeRecord::getEdgeId)).toList();
    }

    @Override
    public CompletableFuture<ListConnectionsReply> listConnections(String edgeId, ListConnectionsRequest request) {
        return call(edgeId, deadline.toMillis(), (stub, observer) -> stub.listConnections(request, observer));
    }

    @Override
    public CompletableFuture<EdgeStatsReply> stats(String edgeId) {
        return call(edgeId, deadline.toMillis(), (stub, observer) -> stub.stats(EdgeStatsRequest.getDefaultInstance(), observer));
    }

    @Override
    public CompletableFuture<DrainEdgeReply> drain(String edgeId, DrainEdgeRequest request) {
        return call(edgeId, deadline.toMillis(), (stub, observer) -> stub.drain(request, observer));
    }

    @Override
    public CompletableFuture<UndrainEdgeReply> undrain(String edgeId) {
        return call(edgeId, deadline.toMillis(),
                (stub, observer) -> stub.undrain(UndrainEdgeRequest.newBuilder().setEdgeId(edgeId).build(), observer));
    }

    /** Closes the stream and the channel of an edge that is gone. */
    public void forget(EdgeRecord edge) {
        EdgeStream stream = streams.remove(edge.getGrpcAddress());
        if (stream != null) {
            stream.close();
        }
        ManagedChannel channel = channels.remove(edge.getGrpcAddress());
        if (channel != null) {
            channel.shutdown();
        }
    }

    private <T> CompletableFuture<T> call(String edgeId, long timeoutMs,
                                          BiConsumer<EdgeServiceGrpc.EdgeServiceStub, StreamObserver<T>> invoke) {
        Optional<EdgeRecord> edge = directory.get(edgeId);
        if (edge.isEmpty()) {
            return notRegistered(edgeId);
        }
        CompletableFuture<T> result = new CompletableFuture<>();
        invoke.accept(EdgeServiceGrpc.newStub(channel(edge.get().getGrpcAddress()))
                        .withDeadlineAfter(timeoutMs, TimeUnit.MILLISECONDS),
                new StreamObserver<>() {
                    @Override
                    public void onNext(T reply) {
                        result.complete(reply);
                    }

                    @Override
                    public void onError(Throwable t) {
                        Status status = Status.fromThrowable(t);
                        if (status.getCode() == Status.Code.UNAVAILABLE) {
                            result.completeExceptionally(new EdgeUnavailableException(
                                    "edge " + edgeId + " unreachable: " + status.getDescription(), t));
                        } else {
                            result.completeExceptionally(new IllegalStateException(
                                    "edge " + edgeId + " failed: " + status.getCode()
                                            + (status.getDescription() != null ? ": " + status.getDescription() : ""), t));
                        }
                    }

                    @Override
                    public void onCompleted() {
                        if (!result.isDone()) {
                            result.completeExceptionally(new IllegalStateException("edge " + edgeId + " sent no reply"));
                        }
                    }
                });
        return result;
    }

    private ManagedChannel channel(String address) {
        return channels.computeIfAbsent(address, open);
    }

    private static <T> CompletableFuture<T> notRegistered(String edgeId) {
        return CompletableFuture.failedFuture(new EdgeUnavailableException("edge " + edgeId + " is not registered", null));
    }

    @Override
    public void close() {
        streams.values().forEach(EdgeStream::close);
        streams.clear();
        channels.values().forEach(ManagedChannel::shutdownNow);
        channels.clear();
    }
}
