package io.frontier.edge.internal.auth;

import io.frontier.api.v1.AuthReply;
import io.frontier.api.v1.AuthRequest;
import io.frontier.api.v1.BackServiceGrpc;
import io.frontier.protocol.Ids;
import io.frontier.protocol.StatusCode;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Delegates authentication to a backend's {@code BackService.Auth}, within a deadline.
 * A refusal gives 401, a failed call 502 and a call past its deadline 504.
 */
public final class BackendAuthenticator implements Authenticator {
    private final ManagedChannel channel;
    private final BackServiceGrpc.BackServiceStub stub;
    private final Duration deadline;
    private final boolean ownsChannel;

    public BackendAuthenticator(ManagedChannel channel, Duration deadline, boolean ownsChannel) {
        this.channel = channel;
        this.stub = BackServiceGrpc.newStub(channel);
        this.deadline = deadline;
        this.ownsChannel = ownsChannel;
    }

    @Override
    public CompletableFuture<Identity> authenticate(Credentials credentials) {
        CompletableFuture<Identity> result = new CompletableFuture<>();
        AuthRequest request = AuthRequest.newBuilder()
                .setToken(credentials.token())
                .setDeviceId(credentials.deviceId())
                .setClientType(credentials.clientType())
                .setClientAddr(credentials.clientAddr())
                .setAppVersion(credentials.appVersion())
                .build();
        stub.withDeadlineAfter(deadline.toNanos(), TimeUnit.NANOSECONDS).auth(request, new StreamObserver<>() {
            @Override
            public void onNext(AuthReply reply) {
                try {
                    if (!reply.getOk()) {
                        throw new AuthException(StatusCode.UNAUTHORIZED,
                                reply.getReason().isEmpty() ? "refused by the auth backend" : reply.getReason());
                    }
                    if (!Ids.valid(reply.getUserId())) {
                        throw new AuthException(StatusCode.BAD_GATEWAY, "auth backend returned no valid user id");
                    }
                    result.complete(new Identity(reply.getUserId(),
                            DeviceIds.resolve(credentials.deviceId(), reply.getDeviceId())));
                } catch (AuthException e) {
                    result.completeExceptionally(e);
                }
            }

            @Override
            public void onError(Throwable t) {
                Status status = Status.fromThrowable(t);
                switch (status.getCode()) {
                    case DEADLINE_EXCEEDED -> result.completeExceptionally(
                            new AuthException(StatusCode.GATEWAY_TIMEOUT, "auth backend timed out"));
                    case UNAUTHENTICATED, PERMISSION_DENIED -> result.completeExceptionally(
                            new AuthException(StatusCode.UNAUTHORIZED, "refused by the auth backend"));
                    default -> result.completeExceptionally(
                            new AuthException(StatusCode.BAD_GATEWAY, "auth backend failed: " + status.getCode()));
                }
            }

            @Override
            public void onCompleted() {
                if (!result.isDone()) {
                    result.completeExceptionally(new AuthException(StatusCode.BAD_GATEWAY, "auth backend sent no reply"));
                }
            }
        });
        return result;
    }

    @Override
    public void close() {
        if (ownsChannel) {
            channel.shutdownNow();
        }
    }
}
