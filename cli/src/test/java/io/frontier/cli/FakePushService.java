package io.frontier.cli;

import io.frontier.api.v1.BroadcastReply;
import io.frontier.api.v1.BroadcastRequest;
import io.frontier.api.v1.PushReply;
import io.frontier.api.v1.PushRequest;
import io.frontier.api.v1.PushServiceGrpc;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/** A Push API on loopback that answers every Push and Broadcast as the test says and keeps the requests. */
final class FakePushService extends PushServiceGrpc.PushServiceImplBase implements AutoCloseable {
    final BlockingQueue<PushRequest> requests = new LinkedBlockingQueue<>();
    final BlockingQueue<BroadcastRequest> broadcasts = new LinkedBlockingQueue<>();
    private final LoopbackServer server;
    private volatile PushReply reply = PushReply.getDefaultInstance();
    private volatile BroadcastReply broadcastReply = BroadcastReply.getDefaultInstance();
    private volatile Status failure;

    FakePushService() throws IOException {
        server = new LoopbackServer(this);
    }

    /** Returns the {@code --target} of this service. */
    String target() {
        return server.target();
    }

    void replyWith(PushReply reply) {
        this.reply = reply;
        this.failure = null;
    }

    void replyWith(BroadcastReply reply) {
        this.broadcastReply = reply;
        this.failure = null;
    }

    void failWith(Status failure) {
        this.failure = failure;
    }

    @Override
    public void push(PushRequest request, StreamObserver<PushReply> responseObserver) {
        requests.add(request);
        if (failure != null) {
            responseObserver.onError(failure.asRuntimeException());
            return;
        }
        responseObserver.onNext(reply);
        responseObserver.onCompleted();
    }

    @Override
    public void broadcast(BroadcastRequest request, StreamObserver<BroadcastReply> responseObserver) {
        broadcasts.add(request);
        if (failure != null) {
            responseObserver.onError(failure.asRuntimeException());
            return;
        }
        responseObserver.onNext(broadcastReply);
        responseObserver.onCompleted();
    }

    @Override
    public void close() throws InterruptedException {
        server.close();
    }
}
