package io.frontier.control.push;

import io.frontier.api.v1.NotifyReply;
import io.frontier.api.v1.OfflineNotification;
import io.frontier.api.v1.OfflineNotifierGrpc;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** An offline notifier reached over gRPC ({@code frontier.v1.OfflineNotifier}), with a deadline per call. */
public final class GrpcOfflineNotifier implements OfflineNotifier {
    private final ManagedChannel channel;
    private final OfflineNotifierGrpc.OfflineNotifierStub stub;
    private final Duration deadline;

    /** Creates a notifier for the service at {@code target} (host:port, plaintext). */
    public GrpcOfflineNotifier(String target, Duration deadline) {
        this(NettyChannelBuilder.forTarget(target).usePlaintext().build(), deadline);
    }

    GrpcOfflineNotifier(ManagedChannel channel, Duration deadline) {
        this.channel = channel;
        this.stub = OfflineNotifierGrpc.newStub(channel);
        this.deadline = deadline;
    }

    @Override
    public CompletableFuture<NotifyReply> notify(OfflineNotification notification) {
        CompletableFuture<NotifyReply> result = new CompletableFuture<>();
        stub.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS).notify(notification, new StreamObserver<>() {
            @Override
            public void onNext(NotifyReply reply) {
                result.complete(reply);
            }

            @Override
            public void onError(Throwable t) {
                result.completeExceptionally(t);
            }

            @Override
            public void onCompleted() {
                result.complete(NotifyReply.newBuilder().setAccepted(false).setReason("notifier sent no reply").build());
            }
        });
        return result;
    }

    @Override
    public void close() {
        channel.shutdownNow();
    }
}
