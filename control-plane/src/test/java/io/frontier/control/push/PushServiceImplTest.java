package io.frontier.control.push;

import static io.frontier.api.v1.ClientType.CLIENT_TYPE_TCP;
import static io.frontier.api.v1.ClientType.CLIENT_TYPE_WS;
import static io.frontier.control.testing.TestEdges.ADDRESS_A;
import static io.frontier.control.testing.TestEdges.ADDRESS_B;
import static io.frontier.control.testing.TestEdges.EDGE_A;
import static io.frontier.control.testing.TestEdges.EDGE_B;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.ByteString;
import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.ConnectionTarget;
import io.frontier.api.v1.DeliverRequest;
import io.frontier.api.v1.DeviceOutcome;
import io.frontier.api.v1.DeviceOutcome.Outcome;
import io.frontier.api.v1.DeviceTarget;
import io.frontier.api.v1.PushReply;
import io.frontier.api.v1.PushRequest;
import io.frontier.api.v1.UserTarget;
import io.frontier.control.testing.FailingUserStatus;
import io.frontier.control.testing.FakeEdgeGateway;
import io.frontier.control.testing.FakeEdgeGateway.Call;
import io.frontier.control.testing.TestEdges;
import io.frontier.status.ConnectResult;
import io.frontier.status.DeviceEntry;
import io.frontier.status.InMemoryUserStatus;
import io.frontier.status.StatusStoreUnavailableException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Push API over the in-process transport, with a real in-memory UserStatus and a fake edge gateway. */
class PushServiceImplTest {
    private static final ByteString PAYLOAD = ByteString.copyFromUtf8("hello");
    private static final PushLimits LIMITS = PushLimits.DEFAULTS;

    private final TestEdges testEdges = new TestEdges();
    private final FakeEdgeGateway edges = new FakeEdgeGateway().edgeAt(ADDRESS_A, EDGE_A).edgeAt(ADDRESS_B, EDGE_B);
    private InMemoryUserStatus status;
    private InProcessPush push;

    @BeforeEach
    void start() {
        status = new InMemoryUserStatus();
        push = new InProcessPush(status, edges, LIMITS);
    }

    @AfterEach
    void stop() throws InterruptedException {
        push.close();
        status.close();
    }

    @Test
    void push_toUserOnTwoEdges_callsEachEdgeOnce() {
        DeviceEntry phoneA = online("alice", CLIENT_TYPE_WS, "phone", EDGE_A);
        DeviceEntry featureB = online("alice", CLIENT_TYPE_TCP, "feature", EDGE_B);
        DeviceEntry tabletA = online("alice", CLIENT_TYPE_WS, "tablet", EDGE_A);
        online("bob", CLIENT_TYPE_WS, "phone", EDGE_B);

        push.stub().push(toUser("alice"));

        assertThat(edges.delivers()).hasSize(2);
        assertThat(edges.connIdsByEdge()).containsOnly(
                Map.entry(EDGE_A, List.of(phoneA.connId(), tabletA.connId())),
                Map.entry(EDGE_B, List.of(featureB.connId())));
    }

    @Test
    void push_toUserOnTwoEdges_outcomesCarryDeviceAndEdge() {
        DeviceEntry phoneA = online("alice", CLIENT_TYPE_WS, "phone", EDGE_A);
        DeviceEntry featureB = online("alice", CLIENT_TYPE_TCP, "feature", EDGE_B);
        edges.answer(EDGE_B, Outcome.ACKNOWLEDGED);

        PushReply reply = push.stub().push(toUser("alice"));

        assertThat(reply.getOutcomesList())
                .extracting(DeviceOutcome::getUserId, DeviceOutcome::getDeviceId, DeviceOutcome::getClientType,
                        DeviceOutcome::getConnId, DeviceOutcome::getEdgeId, DeviceOutcome::getOutcome)
                .containsExactlyInAnyOrder(
                        tuple("alice", "phone", CLIENT_TYPE_WS, phoneA.connId(), EDGE_A, Outcome.DELIVERED),
                        tuple("alice", "feature", CLIENT_TYPE_TCP, featureB.connId(), EDGE_B, Outcome.ACKNOWLEDGED));
    }

    @Test
    void push_toUser_copiesPayloadAndMetadataToDeliverRequest() {
        online("alice", CLIENT_TYPE_WS, "phone", EDGE_A);
        PushRequest request = toUser("alice").toBuilder()
                .setPayloadType("chat")
                .setService(7)
                .setLogid(42)
                .build();

        push.stub().push(request);

        assertThat(edges.delivers()).singleElement().satisfies(call -> {
            DeliverRequest deliver = call.request();
            assertThat(deliver.getPayload()).isEqualTo(PAYLOAD);
            assertThat(deliver.getPayloadType()).isEqualTo("chat");
            assertThat(deliver.getService()).isEqualTo(7);
            assertThat(deliver.getLogid()).isEqualTo(42);
            assertThat(deliver.getWaitAck()).isFalse();
            assertThat(deliver.getAckTimeoutMs()).isZero();
        });
    }

    @Test
    void push_toUserWithTcpFilter_deliversToTcpEntriesOnly() {
        DeviceEntry feature = online("alice", CLIENT_TYPE_TCP, "feature", EDGE_A);
        online("alice", CLIENT_TYPE_WS, "phone", EDGE_A);
        online("alice", CLIENT_TYPE_WS, "tablet", EDGE_B);

        PushReply reply = push.stub().push(toUser("alice", CLIENT_TYPE_TCP));

        assertThat(edges.connIdsByEdge()).containsOnly(Map.entry(EDGE_A, List.of(feature.connId())));
        assertThat(reply.getOutcomesList()).extracting(DeviceOutcome::getConnId).containsExactly(feature.connId());
    }

    @Test
    void push_toUserWithWsFilter_deliversToWsEntriesOnly() {
        online("alice", CLIENT_TYPE_TCP, "feature", EDGE_A);
        DeviceEntry phone = online("alice", CLIENT_TYPE_WS, "phone", EDGE_A);
        DeviceEntry tablet = online("alice", CLIENT_TYPE_WS, "tablet", EDGE_B);

        PushReply reply = push.stub().push(toUser("alice", CLIENT_TYPE_WS));

        assertThat(edges.connIdsByEdge()).containsOnly(
                Map.entry(EDGE_A, List.of(phone.connId())),
                Map.entry(EDGE_B, List.of(tablet.connId())));
        assertThat(reply.getOutcomesList()).extracting(DeviceOutcome::getClientType).containsOnly(CLIENT_TYPE_WS);
    }

    @Test
    void push_toUserWithoutDevices_answersNoOutcomes() {
        online("bob", CLIENT_TYPE_WS, "phone", EDGE_A);

        PushReply reply = push.stub().push(toUser("alice"));

        assertThat(reply.getOutcomesList()).isEmpty();
        assertThat(edges.delivers()).isEmpty();
    }

    @Test
    void push_toOfflineDevice_answersOneOfflineOutcomeNamingTheDevice() {
        online("alice", CLIENT_TYPE_WS, "tablet", EDGE_A);

        PushReply reply = push.stub().push(toDevice("alice", "phone"));

        assertThat(reply.getOutcomesList()).singleElement().satisfies(outcome -> {
            assertThat(outcome.getUserId()).isEqualTo("alice");
            assertThat(outcome.getDeviceId()).isEqualTo("phone");
            assertThat(outcome.getOutcome()).isEqualTo(Outcome.OFFLINE);
        });
        assertThat(edges.delivers()).isEmpty();
    }

    @Test
    void push_toDeviceOnlineOverTcpOnlyWithWsFilter_answersOfflineForWs() {
        online("alice", CLIENT_TYPE_TCP, "phone", EDGE_A);

        PushReply reply = push.stub().push(toDevice("alice", "phone", CLIENT_TYPE_WS));

        assertThat(reply.getOutcomesList()).singleElement().satisfies(outcome -> {
            assertThat(outcome.getDeviceId()).isEqualTo("phone");
            assertThat(outcome.getClientType()).isEqualTo(CLIENT_TYPE_WS);
            assertThat(outcome.getOutcome()).isEqualTo(Outcome.OFFLINE);
        });
        assertThat(edges.delivers()).isEmpty();
    }

    @Test
    void push_toOnlineDevice_deliversToEachOfItsConnections() {
        DeviceEntry tcp = online("alice", CLIENT_TYPE_TCP, "phone", EDGE_A);
        DeviceEntry ws = online("alice", CLIENT_TYPE_WS, "phone", EDGE_B);
        online("alice", CLIENT_TYPE_WS, "tablet", EDGE_B);

        PushReply reply = push.stub().push(toDevice("alice", "phone"));

        assertThat(edges.connIdsByEdge()).containsOnly(
                Map.entry(EDGE_A, List.of(tcp.connId())),
                Map.entry(EDGE_B, List.of(ws.connId())));
        assertThat(reply.getOutcomesList())
                .extracting(DeviceOutcome::getDeviceId, DeviceOutcome::getClientType, DeviceOutcome::getOutcome)
                .containsExactlyInAnyOrder(
                        tuple("phone", CLIENT_TYPE_TCP, Outcome.DELIVERED),
                        tuple("phone", CLIENT_TYPE_WS, Outcome.DELIVERED));
    }

    @Test
    void push_toConnection_routesToTheEdgeAtItsAddress() {
        String connId = testEdges.connId(EDGE_B);

        PushReply reply = push.stub().push(toConnection(connId));

        assertThat(edges.delivers()).singleElement().satisfies(call -> {
            assertThat(call.edgeId()).isEqualTo(EDGE_B);
            assertThat(call.request().getConnIdsList()).containsExactly(connId);
        });
        assertThat(reply.getOutcomesList()).singleElement().satisfies(outcome -> {
            assertThat(outcome.getConnId()).isEqualTo(connId);
            assertThat(outcome.getEdgeId()).isEqualTo(EDGE_B);
            assertThat(outcome.getOutcome()).isEqualTo(Outcome.DELIVERED);
        });
    }

    @Test
    void push_toConnectionAtUnknownAddress_answersOffline() {
        String connId = testEdges.goneConnId();

        PushReply reply = push.stub().push(toConnection(connId));

        assertThat(reply.getOutcomesList()).singleElement().satisfies(outcome -> {
            assertThat(outcome.getConnId()).isEqualTo(connId);
            assertThat(outcome.getOutcome()).isEqualTo(Outcome.OFFLINE);
        });
        assertThat(edges.delivers()).isEmpty();
    }

    @Test
    void push_toConnectionOnUnreachableEdge_isOffline() {
        String connId = testEdges.connId(EDGE_A);
        edges.unreachable(EDGE_A, "edge-a: connection refused");

        PushReply reply = push.stub().push(toConnection(connId));

        assertThat(reply.getOutcomesList()).singleElement().satisfies(outcome -> {
            assertThat(outcome.getOutcome()).isEqualTo(Outcome.OFFLINE);
            assertThat(outcome.getReason()).isEqualTo("edge-a: connection refused");
        });
    }

    @Test
    void push_toConnectionOnFailingEdge_answersFailedWithReason() {
        String connId = testEdges.connId(EDGE_A);
        edges.fail(EDGE_A, "edge-a: connection refused");

        PushReply reply = push.stub().push(toConnection(connId));

        assertThat(reply.getOutcomesList()).singleElement().satisfies(outcome -> {
            assertThat(outcome.getConnId()).isEqualTo(connId);
            assertThat(outcome.getEdgeId()).isEqualTo(EDGE_A);
            assertThat(outcome.getOutcome()).isEqualTo(Outcome.FAILED);
            assertThat(outcome.getReason()).isEqualTo("edge-a: connection refused");
        });
    }

    @Test
    void push_withWaitAckAndNoTimeout_sendsDefaultAckTimeout() {
        online("alice", CLIENT_TYPE_WS, "phone", EDGE_A);
        edges.answer(EDGE_A, Outcome.ACKNOWLEDGED);

        PushReply reply = push.stub().push(toUser("alice").toBuilder().setWaitAck(true).build());

        assertThat(edges.delivers()).singleElement().satisfies(call -> {
            assertThat(call.request().getWaitAck()).isTrue();
            assertThat(call.request().getAckTimeoutMs()).isEqualTo(LIMITS.defaultAckTimeoutMs());
        });
        assertThat(reply.getOutcomesList()).extracting(DeviceOutcome::getOutcome).containsExactly(Outcome.ACKNOWLEDGED);
    }

    @Test
    void push_withWaitAckAndTimeout_sendsThatTimeout() {
        online("alice", CLIENT_TYPE_WS, "phone", EDGE_A);

        push.stub().push(toUser("alice").toBuilder().setWaitAck(true).setAckTimeoutMs(LIMITS.maxAckTimeoutMs()).build());

        assertThat(edges.delivers()).singleElement().satisfies(call -> {
            assertThat(call.request().getWaitAck()).isTrue();
            assertThat(call.request().getAckTimeoutMs()).isEqualTo(LIMITS.maxAckTimeoutMs());
        });
    }

    @Test
    void push_toConnectionWithWaitAck_sendsDefaultAckTimeout() {
        push.stub().push(toConnection(testEdges.connId(EDGE_A)).toBuilder().setWaitAck(true).build());

        assertThat(edges.delivers()).singleElement().satisfies(call -> {
            assertThat(call.request().getWaitAck()).isTrue();
            assertThat(call.request().getAckTimeoutMs()).isEqualTo(LIMITS.defaultAckTimeoutMs());
        });
    }

    @Test
    void push_whenOneEdgeFails_reportsFailedForItsDevicesOnly() {
        DeviceEntry phoneA = online("alice", CLIENT_TYPE_WS, "phone", EDGE_A);
        DeviceEntry featureB = online("alice", CLIENT_TYPE_TCP, "feature", EDGE_B);
        DeviceEntry tabletB = online("alice", CLIENT_TYPE_WS, "tablet", EDGE_B);
        edges.fail(EDGE_B, "edge-b: deadline exceeded");

        PushReply reply = push.stub().push(toUser("alice"));

        assertThat(edges.delivers()).extracting(Call::edgeId).containsExactlyInAnyOrder(EDGE_A, EDGE_B);
        assertThat(reply.getOutcomesList())
                .extracting(DeviceOutcome::getConnId, DeviceOutcome::getEdgeId, DeviceOutcome::getOutcome,
                        DeviceOutcome::getReason)
                .containsExactlyInAnyOrder(
                        tuple(phoneA.connId(), EDGE_A, Outcome.DELIVERED, ""),
                        tuple(featureB.connId(), EDGE_B, Outcome.FAILED, "edge-b: deadline exceeded"),
                        tuple(tabletB.connId(), EDGE_B, Outcome.FAILED, "edge-b: deadline exceeded"));
    }

    @Test
    void push_whenEdgeSendsTooFewOutcomes_reportsFailedForTheMissingOnes() {
        DeviceEntry phone = online("alice", CLIENT_TYPE_WS, "phone", EDGE_A);
        edges.answerNothing(EDGE_A);

        PushReply reply = push.stub().push(toUser("alice"));

        assertThat(reply.getOutcomesList()).singleElement().satisfies(outcome -> {
            assertThat(outcome.getConnId()).isEqualTo(phone.connId());
            assertThat(outcome.getOutcome()).isEqualTo(Outcome.FAILED);
            assertThat(outcome.getReason()).contains(EDGE_A);
        });
    }

    @Test
    void push_whenStatusStoreFails_isUnavailableWithTheStoresDescription() throws InterruptedException {
        StatusStoreUnavailableException unreachable = new StatusStoreUnavailableException("Redis unreachable",
                new IllegalStateException("Unable to connect to Redis server: 127.0.0.1/127.0.0.1:6379"));
        try (InProcessPush broken = new InProcessPush(new FailingUserStatus(unreachable), edges, LIMITS)) {
            for (PushRequest request : List.of(toUser("alice"), toDevice("alice", "phone"))) {
                assertThatThrownBy(() -> broken.stub().push(request))
                        .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                            assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                            assertThat(e.getStatus().getDescription())
                                    .isEqualTo("status store unavailable: Redis unreachable");
                        });
            }
        }
        assertThat(edges.delivers()).isEmpty();
    }

    @Test
    void push_whenStatusStoreFailsWithAClientsOwnMessage_passesOnOnlyItsType() throws InterruptedException {
        String redissonLike = "Command execution timeout for command: (EVAL), params: [" + "local x = 1\n".repeat(100) + "]";
        try (InProcessPush broken = new InProcessPush(new FailingUserStatus(new IllegalStateException(redissonLike)),
                edges, LIMITS)) {
            assertThatThrownBy(() -> broken.stub().push(toUser("alice")))
                    .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                        assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                        assertThat(e.getStatus().getDescription())
                                .isEqualTo("status store unavailable: it failed (IllegalStateException)");
                    });
        }
    }

    private DeviceEntry online(String userId, ClientType clientType, String deviceId, String edgeId) {
        DeviceEntry entry = testEdges.entry(userId, clientType, deviceId, edgeId, 1_000);
        assertThat(status.connected(entry).toCompletableFuture().join().outcome()).isEqualTo(ConnectResult.Outcome.ADDED);
        return entry;
    }


    private static PushRequest toUser(String userId, ClientType... clientTypes) {
        return PushRequest.newBuilder()
                .setUser(UserTarget.newBuilder().setUserId(userId).addAllClientTypes(List.of(clientTypes)))
                .setPayload(PAYLOAD)
                .build();
    }

    private static PushRequest toDevice(String userId, String deviceId, ClientType... clientTypes) {
        return PushRequest.newBuilder()
                .setDevice(DeviceTarget.newBuilder().setUserId(userId).setDeviceId(deviceId)
                        .addAllClientTypes(List.of(clientTypes)))
                .setPayload(PAYLOAD)
                .build();
    }

    private static PushRequest toConnection(String connId) {
        return PushRequest.newBuilder()
                .setConnection(ConnectionTarget.newBuilder().setConnId(connId))
                .setPayload(PAYLOAD)
                .build();
    }
}
