package io.frontier.control.testing;

import io.frontier.api.v1.DeliverReply;
import io.frontier.api.v1.DeliverRequest;
import io.frontier.api.v1.DeviceOutcome;
import io.frontier.api.v1.EdgeBroadcastReply;
import io.frontier.api.v1.EdgeBroadcastRequest;
import io.frontier.api.v1.EdgeRecord;
import io.frontier.api.v1.KickReply;
import io.frontier.api.v1.KickRequest;
import io.frontier.control.edges.EdgeGateway;
import io.frontier.control.edges.EdgeUnavailableException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * An {@link EdgeGateway} that records every call and answers at once. An edge answers
 * {@code DELIVERED} for each requested connection, in request order, unless told otherwise
 * with {@link #answer}, {@link #fail} or {@link #answerNothing}; a broadcast writes to no
 * connection unless told otherwise with {@link #answerBroadcast}. Only edges named with
 * {@link #registered} are listed. Thread-safe: the gRPC server thread records, the test
 * thread reads.
 */
public final class FakeEdgeGateway implements EdgeGateway {

    /** One call to {@link #deliver}, {@link #broadcast} or {@link #kick}. */
    public record Call<T>(String edgeId, T request) {
    }

    private final List<Call<DeliverRequest>> delivers = new CopyOnWriteArrayList<>();
    private final List<Call<KickRequest>> kicks = new CopyOnWriteArrayList<>();
    private final List<Call<EdgeBroadcastRequest>> broadcasts = new CopyOnWriteArrayList<>();
    private final List<EdgeRecord> registered = new CopyOnWriteArrayList<>();
    private final Map<String, Function<DeliverRequest, CompletableFuture<DeliverReply>>> answers =
            new ConcurrentHashMap<>();
    private final Map<String, Function<KickRequest, CompletableFuture<KickReply>>> kickAnswers =
            new ConcurrentHashMap<>();
    private final Map<String, Function<EdgeBroadcastRequest, CompletableFuture<EdgeBroadcastReply>>> broadcastAnswers =
            new ConcurrentHashMap<>();
    private final Map<InetSocketAddress, String> edgesByAddress = new ConcurrentHashMap<>();

    /** Makes {@link #edges} list these edges, in this order, after those registered before. */
    public FakeEdgeGateway registered(String... edgeIds) {
        for (String edgeId : edgeIds) {
            registered.add(EdgeRecord.newBuilder().setEdgeId(edgeId).build());
        }
        return this;
    }

    /** Makes {@code edgeId} answer every broadcast with {@code reply}. */
    public FakeEdgeGateway answerBroadcast(String edgeId, EdgeBroadcastReply reply) {
        broadcastAnswers.put(edgeId, request -> CompletableFuture.completedFuture(reply));
        return this;
    }

    /** Makes {@link #edgeAt} name {@code edgeId} for {@code address}. */
    public FakeEdgeGateway edgeAt(InetSocketAddress address, String edgeId) {
        edgesByAddress.put(address, edgeId);
        return this;
    }

    /** Makes {@code edgeId} answer {@code outcome} for every connection of a deliver call. */
    public FakeEdgeGateway answer(String edgeId, DeviceOutcome.Outcome outcome) {
        answers.put(edgeId, request -> CompletableFuture.completedFuture(reply(edgeId, request, outcome)));
        return this;
    }

    /** Makes every call to {@code edgeId} fail (the edge answered with an error) saying {@code message}. */
    public FakeEdgeGateway fail(String edgeId, String message) {
        answers.put(edgeId, request -> CompletableFuture.failedFuture(new IllegalStateException(message)));
        kickAnswers.put(edgeId, request -> CompletableFuture.failedFuture(new IllegalStateException(message)));
        broadcastAnswers.put(edgeId, request -> CompletableFuture.failedFuture(new IllegalStateException(message)));
        return this;
    }

    /** Makes every call to {@code edgeId} fail as an unreachable edge does, with an {@link EdgeUnavailableException}. */
    public FakeEdgeGateway unreachable(String edgeId, String message) {
        answers.put(edgeId, request -> CompletableFuture.failedFuture(new EdgeUnavailableException(message, null)));
        kickAnswers.put(edgeId, request -> CompletableFuture.failedFuture(new EdgeUnavailableException(message, null)));
        broadcastAnswers.put(edgeId,
                request -> CompletableFuture.failedFuture(new EdgeUnavailableException(message, null)));
        return this;
    }

    /** Makes {@code edgeId} never answer deliver calls, as an edge waiting on a write that never completes. */
    public FakeEdgeGateway answerNever(String edgeId) {
        answers.put(edgeId, request -> new CompletableFuture<>());
        return this;
    }

    /** Makes {@code edgeId} answer deliver calls with no outcome at all, breaking the edge's contract. */
    public FakeEdgeGateway answerNothing(String edgeId) {
        answers.put(edgeId, request -> CompletableFuture.completedFuture(DeliverReply.getDefaultInstance()));
        return this;
    }

    /** Returns the deliver calls, in the order they were made. */
    public List<Call<DeliverRequest>> delivers() {
        return List.copyOf(delivers);
    }

    /** Returns the kick calls, in the order they were made. */
    /** Returns the connection ids of every delivery so far, by edge (an edge called twice: the last call). */
    public Map<String, List<String>> connIdsByEdge() {
        return delivers().stream().collect(Collectors.toMap(Call::edgeId, call -> call.request().getConnIdsList(),
                (first, last) -> last));
    }

    public List<Call<KickRequest>> kicks() {
        return List.copyOf(kicks);
    }

    @Override
    public CompletableFuture<DeliverReply> deliver(String edgeId, DeliverRequest request) {
        delivers.add(new Call<>(edgeId, request));
        return answers.getOrDefault(edgeId,
                r -> CompletableFuture.completedFuture(reply(edgeId, r, DeviceOutcome.Outcome.DELIVERED))).apply(request);
    }

    /** Returns the broadcast calls, in the order they were made. */
    public List<Call<EdgeBroadcastRequest>> broadcasts() {
        return List.copyOf(broadcasts);
    }

    @Override
    public CompletableFuture<EdgeBroadcastReply> broadcast(String edgeId, EdgeBroadcastRequest request) {
        broadcasts.add(new Call<>(edgeId, request));
        return broadcastAnswers.getOrDefault(edgeId,
                r -> CompletableFuture.completedFuture(EdgeBroadcastReply.getDefaultInstance())).apply(request);
    }

    @Override
    public CompletableFuture<KickReply> kick(String edgeId, KickRequest request) {
        kicks.add(new Call<>(edgeId, request));
        return kickAnswers.getOrDefault(edgeId,
                r -> CompletableFuture.completedFuture(KickReply.newBuilder().setFound(true).build())).apply(request);
    }

    @Override
    public Optional<String> edgeAt(InetSocketAddress address) {
        return Optional.ofNullable(edgesByAddress.get(address));
    }

    private static DeliverReply reply(String edgeId, DeliverRequest request, DeviceOutcome.Outcome outcome) {
        DeliverReply.Builder reply = DeliverReply.newBuilder();
        for (String connId : request.getConnIdsList()) {
            reply.addOutcomes(DeviceOutcome.newBuilder().setConnId(connId).setEdgeId(edgeId).setOutcome(outcome));
        }
        return reply.build();
    }

    @Override
    public List<EdgeRecord> edges() {
        return List.copyOf(registered);
    }

    @Override
    public CompletableFuture<io.frontier.api.v1.ListConnectionsReply> listConnections(String edgeId,
            io.frontier.api.v1.ListConnectionsRequest request) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("not used by these tests"));
    }

    @Override
    public CompletableFuture<io.frontier.api.v1.EdgeStatsReply> stats(String edgeId) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("not used by these tests"));
    }

    @Override
    public CompletableFuture<io.frontier.api.v1.DrainEdgeReply> drain(String edgeId,
            io.frontier.api.v1.DrainEdgeRequest request) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("not used by these tests"));
    }

    @Override
    public CompletableFuture<io.frontier.api.v1.UndrainEdgeReply> undrain(String edgeId) {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("not used by these tests"));
    }
}
