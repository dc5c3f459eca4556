package io.frontier.control.push;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.ByteString;
import io.frontier.api.v1.BroadcastReply;
import io.frontier.api.v1.BroadcastRequest;
import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.EdgeBroadcastReply;
import io.frontier.api.v1.EdgeBroadcastRequest;
import io.frontier.control.testing.FakeEdgeGateway;
import io.frontier.status.InMemoryUserStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PushService.Broadcast over the in-process transport, with a fake edge gateway. */
class BroadcastServiceTest {
    private static final ByteString PAYLOAD = ByteString.copyFromUtf8("news");

    private final FakeEdgeGateway edges = new FakeEdgeGateway();
    private InMemoryUserStatus status;
    private InProcessPush push;

    @BeforeEach
    void start() {
        status = new InMemoryUserStatus();
        push = new InProcessPush(status, edges, PushLimits.DEFAULTS);
    }

    @AfterEach
    void stop() throws InterruptedException {
        push.close();
        status.close();
    }

    private static EdgeBroadcastReply counts(int written, int unwritable, int closed) {
        return EdgeBroadcastReply.newBuilder()
                .setWritten(written).setSkippedUnwritable(unwritable).setSkippedClosed(closed).build();
    }

    @Test
    void broadcast_callsEveryEdgeWithTheRequest_andMergesTheirCountsByEdgeId() {
        edges.registered("edge-b", "edge-a")
                .answerBroadcast("edge-a", counts(10, 1, 2))
                .answerBroadcast("edge-b", counts(5, 0, 3));
        BroadcastRequest request = BroadcastRequest.newBuilder().setPayload(PAYLOAD).setPayloadType("text")
                .setService(7).addClientTypes(ClientType.CLIENT_TYPE_WS).setLogid(99).build();

        BroadcastReply reply = push.stub().broadcast(request);

        assertThat(reply).isEqualTo(BroadcastReply.newBuilder()
                .addResults(BroadcastReply.EdgeResult.newBuilder().setEdgeId("edge-a")
                        .setWritten(10).setSkippedUnwritable(1).setSkippedClosed(2))
                .addResults(BroadcastReply.EdgeResult.newBuilder().setEdgeId("edge-b")
                        .setWritten(5).setSkippedClosed(3))
                .setEdges(2).setWritten(15).setSkipped(6)
                .build());
        EdgeBroadcastRequest toEdge = EdgeBroadcastRequest.newBuilder().setPayload(PAYLOAD).setPayloadType("text")
                .setService(7).addClientTypes(ClientType.CLIENT_TYPE_WS).setLogid(99).build();
        assertThat(edges.broadcasts()).extracting(FakeEdgeGateway.Call::edgeId)
                .containsExactlyInAnyOrder("edge-a", "edge-b");
        assertThat(edges.broadcasts()).extracting(FakeEdgeGateway.Call::request).containsOnly(toEdge);
    }

    @Test
    void broadcast_withAnEdgeUnreachableOrFailing_reportsItsErrorAndTheOthersCounts() {
        edges.registered("edge-a", "edge-b", "edge-c")
                .answerBroadcast("edge-a", counts(4, 0, 0))
                .unreachable("edge-b", "edge edge-b unreachable: connection refused")
                .fail("edge-c", "edge edge-c failed: INTERNAL");

        BroadcastReply reply = push.stub().broadcast(BroadcastRequest.newBuilder().setPayload(PAYLOAD).build());

        assertThat(reply.getResultsList()).extracting(BroadcastReply.EdgeResult::getEdgeId,
                        BroadcastReply.EdgeResult::getWritten, BroadcastReply.EdgeResult::getError)
                .containsExactly(
                        tuple("edge-a", 4, ""),
                        tuple("edge-b", 0, "edge edge-b unreachable: connection refused"),
                        tuple("edge-c", 0, "edge edge-c failed: INTERNAL"));
        assertThat(reply.getEdges()).isEqualTo(3);
        assertThat(reply.getWritten()).isEqualTo(4);
        assertThat(reply.getSkipped()).isZero();
    }

    @Test
    void broadcast_withNoEdge_answersEmpty() {
        assertThat(push.stub().broadcast(BroadcastRequest.newBuilder().setPayload(PAYLOAD).build()))
                .isEqualTo(BroadcastReply.getDefaultInstance());
    }

    @Test
    void broadcast_breakingALimit_isInvalidArgumentNamingTheField_andCallsNoEdge() {
        edges.registered("edge-a");
        assertInvalid(BroadcastRequest.getDefaultInstance(), "payload: 0 bytes (expected: 1..65535)");
        assertInvalid(BroadcastRequest.newBuilder().setPayload(ByteString.copyFrom(new byte[65536])).build(),
                "payload: 65536 bytes (expected: 1..65535)");
        assertInvalid(BroadcastRequest.newBuilder().setPayload(PAYLOAD).setPayloadType("t".repeat(65)).build(),
                "payload_type: 65 characters (expected: at most 64)");
        assertInvalid(BroadcastRequest.newBuilder().setPayload(PAYLOAD)
                        .addClientTypes(ClientType.CLIENT_TYPE_UNSPECIFIED).build(),
                "client_types: CLIENT_TYPE_UNSPECIFIED (expected: CLIENT_TYPE_TCP or CLIENT_TYPE_WS)");
        assertThat(edges.broadcasts()).isEmpty();
    }

    private void assertInvalid(BroadcastRequest request, String description) {
        assertThatThrownBy(() -> push.stub().broadcast(request))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).isEqualTo(description);
                });
    }
}
