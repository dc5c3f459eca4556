package io.frontier.edge.internal.delivery;

import io.frontier.api.v1.DeliverItem;
import io.frontier.api.v1.DeliverReply;
import io.frontier.api.v1.DeliverRequest;
import io.frontier.api.v1.DeliverResult;
import io.frontier.api.v1.DrainEdgeReply;
import io.frontier.api.v1.DrainEdgeRequest;
import io.frontier.api.v1.EdgeBroadcastReply;
import io.frontier.api.v1.EdgeBroadcastRequest;
import io.frontier.api.v1.EdgeServiceGrpc;
import io.frontier.api.v1.EdgeStatsReply;
import io.frontier.api.v1.EdgeStatsRequest;
import io.frontier.api.v1.KickReply;
import io.frontier.api.v1.KickRequest;
import io.frontier.api.v1.ListConnectionsReply;
import io.frontier.api.v1.ListConnectionsRequest;
import io.frontier.api.v1.UndrainEdgeReply;
import io.frontier.api.v1.UndrainEdgeRequest;
import io.frontier.edge.internal.admin.EdgeAdmin;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** The edge's gRPC service, called by control planes: Deliver (and its stream), Broadcast, Kick, and the admin calls. */
public final class EdgeServiceImpl extends EdgeServiceGrpc.EdgeServiceImplBase {
    private final DeliveryService delivery;
    private final EdgeAdmin admin;

    public EdgeServiceImpl(DeliveryService delivery, EdgeAdmin admin) {
        this.delivery = delivery;
        this.admin = admin;
    }

    @Override
    public void deliver(DeliverRequest request, StreamObserver<DeliverReply> responseObserver) {
        answerLater(responseObserver, "deliver", () -> delivery.deliver(request));
    }

    @Override
    public StreamObserver<DeliverItem> deliverStream(StreamObserver<DeliverResult> responseObserver) {
        return new DeliverStream(delivery::deliver, (ServerCallStreamObserver<DeliverResult>) responseObserver);
    }

    @Override
    public void broadcast(EdgeBroadcastRequest request, StreamObserver<EdgeBroadcastReply> responseObserver) {
        answerLater(responseObserver, "broadcast", () -> delivery.broadcast(request));
    }

    @Override
    public void kick(KickRequest request, StreamObserver<KickReply> responseObserver) {
        answer(responseObserver, () -> delivery.kick(request));
    }

    @Override
    public void listConnections(ListConnectionsRequest request, StreamObserver<ListConnectionsReply> responseObserver) {
        answer(responseObserver, () -> admin.listConnections(request));
    }

    @Override
    public void stats(EdgeStatsRequest request, StreamObserver<EdgeStatsReply> responseObserver) {
        answer(responseObserver, admin::stats);
    }

    @Override
    public void drain(DrainEdgeRequest request, StreamObserver<DrainEdgeReply> responseObserver) {
        answer(responseObserver, () -> admin.drain(request));
    }

    @Override
    public void undrain(UndrainEdgeRequest request, StreamObserver<UndrainEdgeReply> responseObserver) {
        answer(responseObserver, admin::undrain);
    }

    private static <T> void answerLater(StreamObserver<T> responseObserver, String call,
                                        Supplier<CompletableFuture<T>> start) {
        try {
            start.get().whenComplete((reply, error) -> {
                if (error != null) {
                    responseObserver.onError(Status.INTERNAL.withDescription(call + " failed").withCause(error).asException());
                } else {
                    responseObserver.onNext(reply);
                    responseObserver.onCompleted();
                }
            });
        } catch (IllegalArgumentException e) {
            responseObserver.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException());
        }
    }

    private static <T> void answer(StreamObserver<T> responseObserver, Supplier<T> call) {
        T reply;
        try {
            reply = call.get();
        } catch (IllegalArgumentException e) {
            responseObserver.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException());
            return;
        } catch (IllegalStateException e) {
            responseObserver.onError(Status.UNAVAILABLE.withDescription(e.getMessage()).asException());
            return;
        }
        responseObserver.onNext(reply);
        responseObserver.onCompleted();
    }
}
