package io.frontier.control.push;

import io.frontier.api.v1.BroadcastReply;
import io.frontier.api.v1.BroadcastRequest;
import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.DeliverReply;
import io.frontier.api.v1.DeliverRequest;
import io.frontier.api.v1.DeviceOutcome;
import io.frontier.api.v1.PushManyRequest;
import io.frontier.api.v1.PushReply;
import io.frontier.api.v1.PushRequest;
import io.frontier.api.v1.PushServiceGrpc;
import io.frontier.api.v1.UserTarget;
import io.frontier.control.StoreFailures;
import io.frontier.control.edges.EdgeGateway;
import io.frontier.control.edges.EdgeUnavailableException;
import io.frontier.control.metrics.EdgeCallMetrics;
import io.frontier.control.metrics.PushMetrics;
import io.frontier.protocol.ConnIds;
import io.frontier.status.DeviceEntry;
import io.frontier.status.UserStatus;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * The Push API: a push finds the target's connections in UserStatus, calls each edge
 * once with all of its connections, and answers with one outcome per connection; a push
 * to many users does the same for all of theirs at once; a broadcast calls every edge and
 * answers with each edge's counts.
 */
public final class PushServiceImpl extends PushServiceGrpc.PushServiceImplBase {
    /** Connections an edge takes in one delivery at most (its {@code DeliveryService}'s bound). */
    static final int MAX_CONNS_PER_DELIVERY = 10_000;
    private final UserStatus status;
    private final EdgeGateway edges;
    private final PushLimits limits;
    private final PushDeadlines deadlines;
    private final PushRequestValidator validator;
    private final OfflineHandling offline;
    private final InFlight inFlight;
    private final PushMetrics metrics;
    private final EdgeCallMetrics edgeCalls;

    /** Creates the Push API without an offline notifier: offline devices are reported OFFLINE. */
    public PushServiceImpl(UserStatus status, EdgeGateway edges, PushLimits limits) {
        this(status, edges, limits, null);
    }

    /** Creates the Push API; pushes for offline smartphones go to {@code notifier} unless it is null. */
    public PushServiceImpl(UserStatus status, EdgeGateway edges, PushLimits limits, OfflineNotifier notifier) {
        this(status, edges, limits, notifier, PushDeadlines.DEFAULTS);
    }

    /** Creates the Push API with its own bounds on each step of a push. */
    public PushServiceImpl(UserStatus status, EdgeGateway edges, PushLimits limits, OfflineNotifier notifier,
                           PushDeadlines deadlines) {
        this(status, edges, limits, notifier, deadlines, PushMetrics.none(), EdgeCallMetrics.none());
    }

    /** As above, counting each device's outcome in {@code metrics} and each delivery to an edge in {@code edgeCalls}. */
    public PushServiceImpl(UserStatus status, EdgeGateway edges, PushLimits limits, OfflineNotifier notifier,
                           PushDeadlines deadlines, PushMetrics metrics, EdgeCallMetrics edgeCalls) {
        this.metrics = metrics;
        this.edgeCalls = edgeCalls;
        this.status = status;
        this.edges = edges;
        this.limits = limits;
        this.deadlines = deadlines;
        this.validator = new PushRequestValidator(limits);
        this.offline = new OfflineHandling(notifier, deadlines.notifier());
        this.inFlight = new InFlight(limits.maxInFlight());
    }

    @Override
    public void push(PushRequest request, StreamObserver<PushReply> responseObserver) {
        if (!valid(() -> validator.validate(request), responseObserver) || !admitted(responseObserver)) {
            return;
        }
        CompletionStage<PushReply> result;
        try {
            result = push(request).thenCompose(reply -> offline.apply(request, reply));
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        result.whenComplete((reply, error) -> {
            inFlight.release();
            if (error == null) {
                metrics.replied(reply);
                responseObserver.onNext(reply);
                responseObserver.onCompleted();
            } else {
                // Edge failures are outcomes of the reply: what fails the call is the status store's read.
                responseObserver.onError(StoreFailures.status(error).asException());
            }
        });
    }

    @Override
    public void broadcast(BroadcastRequest request, StreamObserver<BroadcastReply> responseObserver) {
        if (!valid(() -> validator.validate(request), responseObserver) || !admitted(responseObserver)) {
            return;
        }
        EdgeCalls.safely(() -> EdgeBroadcasts.broadcast(edges, request, edgeCalls)).whenComplete((reply, error) -> {
            inFlight.release();
            if (error == null) {
                responseObserver.onNext(reply);
                responseObserver.onCompleted();
            } else {
                responseObserver.onError(Status.INTERNAL.withDescription("broadcast failed: " + EdgeCalls.reason(error))
                        .withCause(EdgeCalls.cause(error)).asException());
            }
        });
    }

    @Override
    public void pushMany(PushManyRequest request, StreamObserver<PushReply> responseObserver) {
        if (!valid(() -> validator.validate(request), responseObserver)) {
            return;
        }
        // A call for many users takes the places of as many pushes, so that the bound keeps the latency it buys.
        int places = Math.min(request.getUsersCount(), inFlight.max());
        if (!admitted(places, responseObserver)) {
            return;
        }
        CompletionStage<PushReply> result;
        try {
            result = pushMany(request);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
        }
        result.whenComplete((reply, error) -> {
            inFlight.release(places);
            if (error == null) {
                metrics.replied(reply);
                responseObserver.onNext(reply);
                responseObserver.onCompleted();
            } else {
                responseObserver.onError(StoreFailures.status(error).asException());
            }
        });
    }

    /**
     * Reads every user's devices (the store batches the reads), delivers to each edge once for all of its
     * connections, then applies each user's offline handling to that user's outcomes.
     */
    private CompletionStage<PushReply> pushMany(PushManyRequest request) {
        List<PushRequest> users = new ArrayList<>(request.getUsersCount());
        List<CompletableFuture<List<DeviceEntry>>> reads = new ArrayList<>(request.getUsersCount());
        for (UserTarget user : request.getUsersList()) {
            PushRequest one = PushRequest.newBuilder()
                    .setUser(user)
                    .setPayload(request.getPayload())
                    .setPayloadType(request.getPayloadType())
                    .setService(request.getService())
                    .setWaitAck(request.getWaitAck())
                    .setAckTimeoutMs(request.getAckTimeoutMs())
                    .setLogid(request.getLogid())
                    .build();
            users.add(one);
            reads.add(bounded(status.devices(user.getUserId(),
                    PushRequestValidator.clientTypeSet(user.getClientTypesList()))));
        }
        return CompletableFuture.allOf(reads.toArray(CompletableFuture[]::new)).thenCompose(ignored -> {
            List<DeviceEntry> all = new ArrayList<>();
            reads.forEach(read -> all.addAll(read.join()));
            return deliver(users.get(0), all);
        }).thenCompose(delivered -> {
            Map<String, PushReply.Builder> byUser = new LinkedHashMap<>();
            users.forEach(one -> byUser.put(one.getUser().getUserId(), PushReply.newBuilder()));
            delivered.getOutcomesList().forEach(outcome -> byUser.get(outcome.getUserId()).addOutcomes(outcome));
            List<CompletableFuture<PushReply>> handled = new ArrayList<>(users.size());
            for (PushRequest one : users) {
                handled.add(offline.apply(one, byUser.get(one.getUser().getUserId()).build()));
            }
            return CompletableFuture.allOf(handled.toArray(CompletableFuture[]::new)).thenApply(done -> {
                PushReply.Builder reply = PushReply.newBuilder();
                for (int i = 0; i < users.size(); i++) {
                    PushReply forUser = handled.get(i).join();
                    if (forUser.getOutcomesCount() == 0) {
                        reply.addOutcomes(DeviceOutcome.newBuilder()
                                .setUserId(users.get(i).getUser().getUserId())
                                .setOutcome(DeviceOutcome.Outcome.OFFLINE)
                                .setReason("no device online"));
                    } else {
                        reply.addAllOutcomes(forUser.getOutcomesList());
                    }
                }
                return reply.build();
            });
        });
    }

    /** Returns whether the call got a place among those in flight; answers RESOURCE_EXHAUSTED otherwise. */
    private boolean admitted(StreamObserver<?> responseObserver) {
        return admitted(1, responseObserver);
    }

    /** Returns whether the call got {@code places} among those in flight; answers RESOURCE_EXHAUSTED otherwise. */
    private boolean admitted(int places, StreamObserver<?> responseObserver) {
        if (inFlight.tryAcquire(places)) {
            return true;
        }
        responseObserver.onError(Status.RESOURCE_EXHAUSTED.withDescription(
                "the Push API answers " + inFlight.max() + " calls at once: retry later").asException());
        return false;
    }

    /** Returns whether the request passed {@code validation}; answers INVALID_ARGUMENT naming the field otherwise. */
    private static boolean valid(Runnable validation, StreamObserver<?> responseObserver) {
        try {
            validation.run();
            return true;
        } catch (IllegalArgumentException e) {
            responseObserver.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException());
            return false;
        }
    }

    private CompletionStage<PushReply> push(PushRequest request) {
        return switch (request.getTargetCase()) {
            case USER -> bounded(status.devices(request.getUser().getUserId(),
                            PushRequestValidator.clientTypeSet(request.getUser().getClientTypesList())))
                    .thenCompose(entries -> deliver(request, entries));
            case DEVICE -> bounded(status.device(request.getDevice().getUserId(), request.getDevice().getDeviceId(),
                            PushRequestValidator.clientTypeSet(request.getDevice().getClientTypesList())))
                    .thenCompose(entries -> entries.isEmpty()
                            ? CompletableFuture.completedFuture(offlineDevice(request))
                            : deliver(request, entries));
            case CONNECTION -> pushToConnection(request);
            default -> throw new IllegalStateException("validated target: " + request.getTargetCase());
        };
    }

    private CompletionStage<PushReply> deliver(PushRequest request, List<DeviceEntry> entries) {
        Map<String, List<DeviceEntry>> byEdge = new LinkedHashMap<>();
        for (DeviceEntry entry : entries) {
            byEdge.computeIfAbsent(entry.edgeId(), edge -> new ArrayList<>(2)).add(entry);
        }
        List<CompletableFuture<List<DeviceOutcome>>> calls = new ArrayList<>(byEdge.size());
        byEdge.forEach((edgeId, onEdge) -> {
            for (int from = 0; from < onEdge.size(); from += MAX_CONNS_PER_DELIVERY) {
                calls.add(deliverToEdge(request, edgeId,
                        onEdge.subList(from, Math.min(onEdge.size(), from + MAX_CONNS_PER_DELIVERY))));
            }
        });
        return CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).thenApply(ignored -> {
            PushReply.Builder reply = PushReply.newBuilder();
            calls.forEach(call -> reply.addAllOutcomes(call.join()));
            return reply.build();
        });
    }

    private CompletableFuture<List<DeviceOutcome>> deliverToEdge(PushRequest request, String edgeId, List<DeviceEntry> onEdge) {
        DeliverRequest.Builder deliver = deliverRequest(request);
        onEdge.forEach(entry -> deliver.addConnIds(entry.connId()));
        return deliverSafely(edgeId, deliver.build()).handle((reply, error) -> {
            edgeCalls.called(edgeId, EdgeCallMetrics.Call.DELIVER, EdgeCalls.result(error));
            List<DeviceOutcome> outcomes = new ArrayList<>(onEdge.size());
            for (int i = 0; i < onEdge.size(); i++) {
                DeviceEntry entry = onEdge.get(i);
                DeviceOutcome.Builder outcome = DeviceOutcome.newBuilder()
                        .setUserId(entry.userId())
                        .setDeviceId(entry.deviceId())
                        .setClientType(entry.clientType())
                        .setConnId(entry.connId())
                        .setEdgeId(edgeId);
                if (error != null) {
                    outcome.setOutcome(outcomeOf(error)).setReason(EdgeCalls.reason(error));
                } else if (i < reply.getOutcomesCount()) {
                    DeviceOutcome fromEdge = reply.getOutcomes(i);
                    outcome.setOutcome(fromEdge.getOutcome()).setReason(fromEdge.getReason());
                } else {
                    outcome.setOutcome(DeviceOutcome.Outcome.FAILED).setReason("edge " + edgeId + " sent no outcome");
                }
                outcomes.add(outcome.build());
            }
            return outcomes;
        });
    }

    private CompletionStage<PushReply> pushToConnection(PushRequest request) {
        String connId = request.getConnection().getConnId();
        Optional<String> edgeId = edges.edgeAt(ConnIds.edgeAddress(connId));
        if (edgeId.isEmpty()) {
            return CompletableFuture.completedFuture(PushReply.newBuilder().addOutcomes(DeviceOutcome.newBuilder()
                    .setConnId(connId)
                    .setOutcome(DeviceOutcome.Outcome.OFFLINE)
                    .setReason("no edge holds this connection's address now")).build());
        }
        DeliverRequest deliver = deliverRequest(request).addConnIds(connId).build();
        return deliverSafely(edgeId.get(), deliver).handle((reply, error) -> {
            edgeCalls.called(edgeId.get(), EdgeCallMetrics.Call.DELIVER, EdgeCalls.result(error));
            if (error != null || reply.getOutcomesCount() != 1) {
                return PushReply.newBuilder().addOutcomes(DeviceOutcome.newBuilder()
                        .setConnId(connId)
                        .setEdgeId(edgeId.get())
                        .setOutcome(error != null ? outcomeOf(error) : DeviceOutcome.Outcome.FAILED)
                        .setReason(error != null ? EdgeCalls.reason(error) : "edge " + edgeId.get() + " sent no outcome")).build();
            }
            return PushReply.newBuilder().addAllOutcomes(reply.getOutcomesList()).build();
        });
    }

    /** Bounds a status store read: one that does not answer fails the push as one that cannot. */
    private CompletableFuture<List<DeviceEntry>> bounded(CompletionStage<List<DeviceEntry>> read) {
        return Timeouts.within(read.toCompletableFuture(), deadlines.statusStore(),
                () -> "it did not answer within " + Timeouts.text(deadlines.statusStore()));
    }

    /** Calls an edge, bounded by the push's ack wait and the margin: a call that hangs fails its devices. */
    private CompletableFuture<DeliverReply> deliverSafely(String edgeId, DeliverRequest request) {
        Duration bound = deadlines.edgeMargin().plusMillis(Integer.toUnsignedLong(request.getAckTimeoutMs()));
        return Timeouts.within(EdgeCalls.safely(() -> edges.deliver(edgeId, request)), bound,
                () -> "edge " + edgeId + " did not answer within " + Timeouts.text(bound));
    }

    private DeliverRequest.Builder deliverRequest(PushRequest request) {
        int ackTimeout = request.getAckTimeoutMs() == 0 ? limits.defaultAckTimeoutMs() : request.getAckTimeoutMs();
        return DeliverRequest.newBuilder()
                .setPayload(request.getPayload())
                .setPayloadType(request.getPayloadType())
                .setService(request.getService())
                .setLogid(request.getLogid())
                .setWaitAck(request.getWaitAck())
                .setAckTimeoutMs(request.getWaitAck() ? ackTimeout : 0);
    }

    private static PushReply offlineDevice(PushRequest request) {
        Set<ClientType> types = PushRequestValidator.clientTypeSet(request.getDevice().getClientTypesList());
        DeviceOutcome.Builder outcome = DeviceOutcome.newBuilder()
                .setUserId(request.getDevice().getUserId())
                .setDeviceId(request.getDevice().getDeviceId())
                .setOutcome(DeviceOutcome.Outcome.OFFLINE)
                .setReason("device is not online");
        if (types.size() == 1) {
            outcome.setClientType(types.iterator().next());
        }
        return PushReply.newBuilder().addOutcomes(outcome).build();
    }

    /** A device whose edge cannot be reached holds no usable connection: it is offline; other failures are failures. */
    private static DeviceOutcome.Outcome outcomeOf(Throwable error) {
        return EdgeCalls.cause(error) instanceof EdgeUnavailableException
                ? DeviceOutcome.Outcome.OFFLINE : DeviceOutcome.Outcome.FAILED;
    }
}
