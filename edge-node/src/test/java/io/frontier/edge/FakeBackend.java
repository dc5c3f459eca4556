package io.frontier.edge;

import io.frontier.api.v1.AuthReply;
import io.frontier.api.v1.AuthRequest;
import io.frontier.api.v1.BackServiceGrpc;
import io.frontier.api.v1.SendMessageReply;
import io.frontier.api.v1.SendMessageRequest;
import io.grpc.Grpc;
import io.grpc.InsecureServerCredentials;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A BackService on a free loopback port: echoes messages (service 1001), never answers
 * (1002), fails (1003); accepts the token "good" for user bob and refuses others.
 */
public final class FakeBackend implements AutoCloseable {
    final List<SendMessageRequest> received = new CopyOnWriteArrayList<>();
    final List<StreamObserver<SendMessageReply>> unanswered = new CopyOnWriteArrayList<>();
    final List<Metadata> metadata = new CopyOnWriteArrayList<>();
    private final Server server;

    FakeBackend() throws IOException {
        server = Grpc.newServerBuilderForPort(0, InsecureServerCredentials.create())
                .addService(new BackServiceGrpc.BackServiceImplBase() {
                    @Override
                    public void auth(AuthRequest request, StreamObserver<AuthReply> reply) {
                        AuthReply.Builder answer = AuthReply.newBuilder();
                        if (request.getToken().equals("good")) {
                            answer.setOk(true).setUserId("bob");
                        } else {
                            answer.setOk(false).setReason("unknown token");
                        }
                        reply.onNext(answer.build());
                        reply.onCompleted();
                    }

                    @Override
                    public void sendMessage(SendMessageRequest request, StreamObserver<SendMessageReply> reply) {
                        received.add(request);
                        switch (request.getService()) {
                            case 1001 -> {
                                reply.onNext(SendMessageReply.newBuilder().setPayload(request.getPayload()).build());
                                reply.onCompleted();
                            }
                            case 1002 -> unanswered.add(reply);
                            default -> reply.onError(Status.INTERNAL.withDescription("boom").asException());
                        }
                    }
                })
                .intercept(new ServerInterceptor() {
                    @Override
                    public <Q, R> ServerCall.Listener<Q> interceptCall(ServerCall<Q, R> call, Metadata headers,
                                                                      ServerCallHandler<Q, R> next) {
                        metadata.add(headers);
                        return next.startCall(call, headers);
                    }
                })
                .build()
                .start();
    }

    public List<SendMessageRequest> received() {
        return received;
    }

    public List<Metadata> metadata() {
        return metadata;
    }

    public String target() {
        return "127.0.0.1:" + server.getPort();
    }

    @Override
    public void close() throws InterruptedException {
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
}
