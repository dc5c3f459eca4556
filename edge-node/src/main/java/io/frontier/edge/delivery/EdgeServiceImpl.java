package io.frontier.edge.delivery;

import io.frontier.api.v1.DeliverReply;
import io.frontier.api.v1.DeliverRequest;
import io.frontier.api.v1.EdgeServiceGrpc;
import io.frontier.api.v1.KickReply;
import io.frontier.api.v1.KickRequest;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;

/** The edge's gRPC service, called by control planes: Deliver and Kick. */
public final class EdgeServiceImpl extends EdgeServiceGrpc.EdgeServiceImplBase {
    private final DeliveryService delivery;

    public EdgeServiceImpl(DeliveryService delivery) {
        this.delivery = delivery;
    }

    @Override
    public void deliver(DeliverRequest request, StreamObserver<DeliverReply> responseObserver) {
        try {
            delivery.deliver(request).whenComplete((reply, error) -> {
                if (error != null) {
                    responseObserver.onError(Status.INTERNAL.withDescription("deliver failed").withCause(error).asException());
                } else {
                    responseObserver.onNext(reply);
                    responseObserver.onCompleted();
                }
            });
        } catch (IllegalArgumentException e) {
            responseObserver.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException());
        }
    }

    @Override
    public void kick(KickRequest request, StreamObserver<KickReply> responseObserver) {
        try {
            responseObserver.onNext(delivery.kick(request));
            responseObserver.onCompleted();
        } catch (IllegalArgumentException e) {
            responseObserver.onError(Status.INVALID_ARGUMENT.withDescription(e.getMessage()).asException());
        }
    }
}
