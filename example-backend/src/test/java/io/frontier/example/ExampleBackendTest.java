package io.frontier.example;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.ByteString;
import io.frontier.api.v1.BackServiceGrpc;
import io.frontier.api.v1.SendMessageReply;
import io.frontier.api.v1.SendMessageRequest;
import io.grpc.ManagedChannel;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The example backend as a developer starts it: a real server on a loopback port. */
class ExampleBackendTest {
    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(printed, true, StandardCharsets.UTF_8);

    @Test
    void start_printsWhereItListens_andEchoesOverLoopback() throws Exception {
        try (ExampleBackend backend = ExampleBackend.start(0, out)) {
            assertThat(printed.toString(StandardCharsets.UTF_8))
                    .isEqualTo("example backend listening on 127.0.0.1:" + backend.port() + System.lineSeparator());
            ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", backend.port()).usePlaintext().build();
            try {
                SendMessageReply reply = BackServiceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS)
                        .sendMessage(SendMessageRequest.newBuilder().setPayload(ByteString.copyFromUtf8("ping")).build());
                assertThat(reply.getStatus()).isEqualTo(200);
                assertThat(reply.getPayload().toStringUtf8()).isEqualTo("ping");
            } finally {
                channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void portInUse_isAnIOExceptionThatNamesIt() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThatThrownBy(() -> ExampleBackend.start(taken.getLocalPort(), out))
                    .isInstanceOf(IOException.class)
                    .hasMessageStartingWith("cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ");
        }
        assertThat(printed.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void portOutOfRange_isRefused() {
        assertThatIllegalArgumentException().isThrownBy(() -> ExampleBackend.start(70000, out))
                .withMessage("port: 70000 (expected: 0..65535)");
    }
}
