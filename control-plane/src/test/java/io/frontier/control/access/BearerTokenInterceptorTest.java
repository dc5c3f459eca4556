package io.frontier.control.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frontier.api.v1.PushReply;
import io.frontier.api.v1.PushRequest;
import io.frontier.api.v1.PushServiceGrpc;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.MetadataUtils;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The bearer token check in front of an API, over the in-process transport. */
class BearerTokenInterceptorTest {
    private Server server;
    private ManagedChannel channel;

    @BeforeEach
    void start() throws Exception {
        String name = InProcessServerBuilder.generateName();
        PushServiceGrpc.PushServiceImplBase service = new PushServiceGrpc.PushServiceImplBase() {
            @Override
            public void push(PushRequest request, StreamObserver<PushReply> responseObserver) {
                responseObserver.onNext(PushReply.getDefaultInstance());
                responseObserver.onCompleted();
            }
        };
        server = InProcessServerBuilder.forName(name).directExecutor()
                .addService(ServerInterceptors.intercept(service, new BearerTokenInterceptor("Push API", "s3cret")))
                .build().start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    private PushServiceGrpc.PushServiceBlockingStub stub(String authorization) {
        PushServiceGrpc.PushServiceBlockingStub stub = PushServiceGrpc.newBlockingStub(channel);
        if (authorization == null) {
            return stub;
        }
        Metadata headers = new Metadata();
        headers.put(BearerTokenInterceptor.AUTHORIZATION, authorization);
        return stub.withInterceptors(MetadataUtils.newAttachHeadersInterceptor(headers));
    }

    @Test
    void rightToken_goesThrough() {
        assertThat(stub("Bearer s3cret").push(PushRequest.getDefaultInstance())).isNotNull();
    }

    @Test
    void missingToken_isUnauthenticated_andSaysWhatToSend() {
        assertThatThrownBy(() -> stub(null).push(PushRequest.getDefaultInstance()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
                    assertThat(e.getStatus().getDescription()).contains("Bearer TOKEN");
                });
    }

    @Test
    void wrongTokenOrScheme_isUnauthenticated() {
        for (String wrong : new String[] {"Bearer s3cre", "Bearer s3cret2", "bearer s3cret", "s3cret", ""}) {
            assertThatThrownBy(() -> stub(wrong).push(PushRequest.getDefaultInstance()))
                    .as(wrong)
                    .isInstanceOfSatisfying(StatusRuntimeException.class,
                            e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED));
        }
    }

    @Test
    void blankToken_isRefusedAtStart() {
        assertThatThrownBy(() -> new BearerTokenInterceptor("Admin API", " "))
                .hasMessage("token: blank (expected: a secret of at least 1 character)");
    }
}
