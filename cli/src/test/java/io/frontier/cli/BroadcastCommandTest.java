package io.frontier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import io.frontier.api.v1.BroadcastReply;
import io.frontier.api.v1.BroadcastRequest;
import io.frontier.api.v1.ClientType;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class BroadcastCommandTest {
    private static final BroadcastReply TWO_EDGES = BroadcastReply.newBuilder()
            .addResults(BroadcastReply.EdgeResult.newBuilder().setEdgeId("edge-1")
                    .setWritten(1200).setSkippedUnwritable(3).setSkippedClosed(1))
            .addResults(BroadcastReply.EdgeResult.newBuilder().setEdgeId("edge-2")
                    .setError("edge edge-2 unreachable: connection refused"))
            .setEdges(2).setWritten(1200).setSkipped(4)
            .build();

    private static FakePushService service;

    @BeforeAll
    static void startService() throws Exception {
        service = new FakePushService();
    }

    @AfterAll
    static void stopService() throws Exception {
        service.close();
    }

    @BeforeEach
    void reset() {
        service.broadcasts.clear();
        service.replyWith(BroadcastReply.getDefaultInstance());
    }

    private static Ctl broadcast(String... args) {
        List<String> all = new ArrayList<>(List.of("broadcast", "--target", service.target()));
        all.addAll(List.of(args));
        return Ctl.run(all.toArray(String[]::new));
    }

    private static BroadcastRequest sent() throws InterruptedException {
        BroadcastRequest request = service.broadcasts.poll(5, TimeUnit.SECONDS);
        assertThat(request).as("a Broadcast call").isNotNull();
        return request;
    }

    @Test
    void broadcast_printsOneLinePerEdge_andTheTotals() throws Exception {
        service.replyWith(TWO_EDGES);

        Ctl ctl = broadcast("--text", "héllo", "--client-type", "tcp");

        assertThat(ctl.exitCode()).as("%s", ctl).isZero();
        assertThat(ctl.outLines()).containsExactly(
                "EDGE    WRITTEN  SKIPPED-UNWRITABLE  SKIPPED-CLOSED  ERROR",
                "edge-1  1200     3                   1               -",
                "edge-2  -        -                   -               edge edge-2 unreachable: connection refused",
                "total: 1200 written, 4 skipped, on 2 edges (1 not reached)");
        assertThat(sent()).isEqualTo(BroadcastRequest.newBuilder()
                .setPayload(ByteString.copyFromUtf8("héllo")).addClientTypes(ClientType.CLIENT_TYPE_TCP).build());
    }

    @Test
    void broadcast_asJson_printsTheReply() {
        service.replyWith(TWO_EDGES);

        Ctl ctl = broadcast("--text", "hi", "-o", "json");

        assertThat(ctl.exitCode()).as("%s", ctl).isZero();
        JsonObject reply = JsonParser.parseString(ctl.out()).getAsJsonObject();
        assertThat(reply.get("written").getAsLong()).isEqualTo(1200);
        assertThat(reply.getAsJsonArray("results")).hasSize(2);
    }

    @Test
    void broadcast_writtenToNoDevice_exits1() {
        service.replyWith(BroadcastReply.newBuilder()
                .addResults(BroadcastReply.EdgeResult.newBuilder().setEdgeId("edge-1")).setEdges(1).build());

        Ctl ctl = broadcast("--text", "hi");

        assertThat(ctl.exitCode()).as("%s", ctl).isEqualTo(1);
        assertThat(ctl.outLines()).last().isEqualTo("total: 0 written, 0 skipped, on 1 edge");
    }

    @Test
    void broadcast_withNoEdge_saysSoAndExits1() {
        Ctl ctl = broadcast("--text", "hi");

        assertThat(ctl.exitCode()).as("%s", ctl).isEqualTo(1);
        assertThat(ctl.out().strip()).isEqualTo("no edge is registered");
    }

    @Test
    void broadcast_refusedByTheGateway_printsTheStatusAndExits3() {
        service.failWith(Status.INVALID_ARGUMENT.withDescription("payload: 70000 bytes (expected: 1..65535)"));

        Ctl ctl = broadcast("--text", "hi");

        assertThat(ctl.exitCode()).as("%s", ctl).isEqualTo(3);
        assertThat(ctl.err().strip())
                .isEqualTo("broadcast failed: INVALID_ARGUMENT: payload: 70000 bytes (expected: 1..65535)");
    }

    @Test
    void broadcast_withARefusedToken_exits4() {
        service.failWith(Status.UNAUTHENTICATED.withDescription("the Push API refused this bearer token"));

        Ctl ctl = broadcast("--text", "hi");

        assertThat(ctl.exitCode()).as("%s", ctl).isEqualTo(4);
        assertThat(ctl.err()).contains("FRONTIER_PUSH_TOKEN");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "--client-type sms --text hi", "--text hi --bogus", "--text hi --target nowhere"})
    void broadcast_usageError_exits2WithoutCalling(String args) {
        List<String> all = new ArrayList<>(List.of("broadcast"));
        if (!args.isEmpty()) {
            all.addAll(List.of(args.split(" ")));
        }

        Ctl ctl = Ctl.run(all.toArray(String[]::new));

        assertThat(ctl.exitCode()).as("%s", ctl).isEqualTo(2);
        assertThat(ctl.err()).startsWith("error: ").contains("Run 'frontier ctl broadcast --help' for usage.");
        assertThat(service.broadcasts).isEmpty();
    }

    @Test
    void completion_knowsTheCommand() {
        assertThat(Ctl.run("completion").out()).contains("broadcast");
    }
}
