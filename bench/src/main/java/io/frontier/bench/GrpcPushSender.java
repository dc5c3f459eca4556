package io.frontier.bench;

import com.google.protobuf.ByteString;
import io.frontier.api.v1.DeviceOutcome;
import io.frontier.api.v1.PushManyRequest;
import io.frontier.api.v1.PushReply;
import io.frontier.api.v1.PushRequest;
import io.frontier.api.v1.PushServiceGrpc;
import io.frontier.api.v1.UserTarget;
import io.grpc.ManagedChannel;
import io.grpc.ManagedChannelBuilder;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;

/** Pushes through Frontier's Push API (one gRPC channel, direct executor) to device {@code i}'s user {@code u<i>}. */
final class GrpcPushSender implements Pusher.Sender {
    private final ManagedChannel channel;
    private final PushServiceGrpc.PushServiceStub stub;

    GrpcPushSender(int port) {
        this.channel = ManagedChannelBuilder.forAddress("127.0.0.1", port).usePlaintext().directExecutor().build();
        this.stub = PushServiceGrpc.newStub(channel);
    }

    @Override
    public void send(int device, byte[] payload, Pusher.Run run) {
        PushRequest request = PushRequest.newBuilder().setUser(UserTarget.newBuilder().setUserId("u" + device))
                .setPayload(ByteString.copyFrom(payload)).build();
        stub.push(request, replies(run));
    }

    @Override
    public void sendMany(int[] devices, byte[] payload, Pusher.Run run) {
        PushManyRequest.Builder request = PushManyRequest.newBuilder().setPayload(ByteString.copyFrom(payload));
        for (int device : devices) {
            request.addUsers(UserTarget.newBuilder().setUserId("u" + device));
        }
        stub.pushMany(request.build(), replies(run));
    }

    private static StreamObserver<PushReply> replies(Pusher.Run run) {
        return new StreamObserver<PushReply>() {
            @Override
            public void onNext(PushReply reply) {
                if (reply.getOutcomesCount() == 0) {
                    run.count("no online device");
                }
                for (DeviceOutcome o : reply.getOutcomesList()) {
                    if (o.getOutcome() == DeviceOutcome.Outcome.DELIVERED) {
                        run.delivered();
                    } else {
                        run.count(o.getOutcome() + ": " + o.getReason());
                    }
                }
            }

            @Override
            public void onError(Throwable t) {
                Status s = Status.fromThrowable(t);
                run.error("rpc error: " + s.getCode() + " " + s.getDescription());
                run.done();
            }

            @Override
            public void onCompleted() {
                run.done();
            }
        };
    }

    @Override
    public void close() throws InterruptedException {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
