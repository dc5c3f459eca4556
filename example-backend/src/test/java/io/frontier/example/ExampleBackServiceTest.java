package io.frontier.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.frontier.api.v1.AuthRequest;
import io.frontier.api.v1.BackServiceGrpc;
import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.ConnectionEvent;
import io.frontier.api.v1.ConnectionInfo;
import io.frontier.api.v1.Frame;
import io.frontier.api.v1.SendMessageReply;
import io.frontier.api.v1.SendMessageRequest;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The example's BackService over the in-process transport: what it answers and what it prints. */
class ExampleBackServiceTest {
    private static final ConnectionInfo ALICE = ConnectionInfo.newBuilder()
            .setConnId("6b0731d4fb28ac697f0000012328")
            .setUserId("alice")
            .setDeviceId("phone-1")
            .setClientType(ClientType.CLIENT_TYPE_TCP)
            .setEdgeId("edge-1")
            .build();

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private Server server;
    private ManagedChannel channel;
    private BackServiceGrpc.BackServiceBlockingStub backend;

    @BeforeEach
    void start() throws Exception {
        String name = InProcessServerBuilder.generateName();
        server = InProcessServerBuilder.forName(name)
                .directExecutor()
                .addService(new ExampleBackService(new PrintStream(printed, true, StandardCharsets.UTF_8)))
                .build()
                .start();
        channel = InProcessChannelBuilder.forName(name).directExecutor().build();
        backend = BackServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @Test
    void sendMessage_echoesThePayload_withStatus200_itsType_andAnEchoHeader() {
        SendMessageReply reply = backend.sendMessage(SendMessageRequest.newBuilder()
                .setConnection(ALICE)
                .setService(1001)
                .setPayloadType("text/plain")
                .setPayload(ByteString.copyFromUtf8("hello"))
                .build());

        assertThat(reply.getStatus()).isEqualTo(200);
        assertThat(reply.getPayload().toStringUtf8()).isEqualTo("hello");
        assertThat(reply.getPayloadType()).isEqualTo("text/plain");
        assertThat(reply.getHeadersList()).containsExactly(
                Frame.ExtendedEntry.newBuilder().setKey("echo").setValue("true").build());
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void sendEvent_printsOneLinePerEvent() {
        backend.sendEvent(ConnectionEvent.newBuilder().setKind(ConnectionEvent.Kind.CONNECTED).setConnection(ALICE).build());
        backend.sendEvent(ConnectionEvent.newBuilder().setKind(ConnectionEvent.Kind.DISCONNECTED).setConnection(ALICE)
                .setCode(408).setReason("idle for 20m").build());

        assertThat(printed.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "event CONNECTED user=alice device=phone-1 type=tcp conn=6b0731d4fb28ac697f0000012328 edge=edge-1",
                "event DISCONNECTED user=alice device=phone-1 type=tcp conn=6b0731d4fb28ac697f0000012328 edge=edge-1"
                        + " code=408 reason=idle for 20m");
    }

    @Test
    void auth_isUnimplemented() {
        assertThatThrownBy(() -> backend.auth(AuthRequest.newBuilder().setToken("t").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
    }
}
