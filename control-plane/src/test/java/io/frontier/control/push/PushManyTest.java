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
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.DeviceOutcome;
import io.frontier.api.v1.DeviceOutcome.Outcome;
import io.frontier.api.v1.PushManyRequest;
import io.frontier.api.v1.PushReply;
import io.frontier.api.v1.UserTarget;
import io.frontier.control.testing.FakeEdgeGateway;
import io.frontier.control.testing.TestEdges;
import io.frontier.status.ConnectResult;
import io.frontier.status.DeviceEntry;
import io.frontier.status.InMemoryUserStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** PushMany over the in-process transport: one call for a group, each edge called once for all of its connections. */
class PushManyTest {
    private static final ByteString PAYLOAD = ByteString.copyFromUtf8("hello group");

    private final TestEdges testEdges = new TestEdges();
    private final FakeEdgeGateway edges = new FakeEdgeGateway().edgeAt(ADDRESS_A, EDGE_A).edgeAt(ADDRESS_B, EDGE_B);
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

    @Test
    void group_onTwoEdges_callsEachEdgeOnce_withEveryUsersConnections() {
        DeviceEntry alicePhone = online("alice", CLIENT_TYPE_WS, "phone", EDGE_A);
        DeviceEntry bobPhone = online("bob", CLIENT_TYPE_WS, "phone", EDGE_A);
        DeviceEntry bobFeature = online("bob", CLIENT_TYPE_TCP, "feature", EDGE_B);
        DeviceEntry carolFeature = online("carol", CLIENT_TYPE_TCP, "feature", EDGE_B);
        online("dave", CLIENT_TYPE_WS, "phone", EDGE_A);

        PushReply reply = push.stub().pushMany(toUsers("alice", "bob", "carol").setPayloadType("chat").setLogid(9)
                .build());

        assertThat(edges.delivers()).hasSize(2);
        assertThat(edges.connIdsByEdge()).containsOnly(
                Map.entry(EDGE_A, List.of(alicePhone.connId(), bobPhone.connId())),
                Map.entry(EDGE_B, List.of(bobFeature.connId(), carolFeature.connId())));
        assertThat(edges.delivers()).allSatisfy(call -> {
            assertThat(call.request().getPayload()).isEqualTo(PAYLOAD);
            assertThat(call.request().getPayloadType()).isEqualTo("chat");
            assertThat(call.request().getLogid()).isEqualTo(9);
        });
        assertThat(reply.getOutcomesList())
                .extracting(DeviceOutcome::getUserId, DeviceOutcome::getDeviceId, DeviceOutcome::getOutcome)
                .containsExactly(
                        tuple("alice", "phone", Outcome.DELIVERED),
                        tuple("bob", "phone", Outcome.DELIVERED),
                        tuple("bob", "feature", Outcome.DELIVERED),
                        tuple("carol", "feature", Outcome.DELIVERED));
    }

    @Test
    void userWithNoDeviceOnline_getsOneOfflineOutcome_inTheUsersOrder() {
        online("bob", CLIENT_TYPE_TCP, "feature", EDGE_B);

        PushReply reply = push.stub().pushMany(toUsers("alice", "bob").build());

        assertThat(reply.getOutcomesList())
                .extracting(DeviceOutcome::getUserId, DeviceOutcome::getDeviceId, DeviceOutcome::getOutcome)
                .containsExactly(tuple("alice", "", Outcome.OFFLINE), tuple("bob", "feature", Outcome.DELIVERED));
    }

    @Test
    void clientTypeFilters_arePerUser() {
        online("alice", CLIENT_TYPE_WS, "phone", EDGE_A);
        DeviceEntry aliceFeature = online("alice", CLIENT_TYPE_TCP, "feature", EDGE_A);
        DeviceEntry bobPhone = online("bob", CLIENT_TYPE_WS, "phone", EDGE_A);

        push.stub().pushMany(PushManyRequest.newBuilder()
                .addUsers(UserTarget.newBuilder().setUserId("alice").addClientTypes(CLIENT_TYPE_TCP))
                .addUsers(UserTarget.newBuilder().setUserId("bob"))
                .setPayload(PAYLOAD)
                .build());

        assertThat(edges.connIdsByEdge()).containsOnly(
                Map.entry(EDGE_A, List.of(aliceFeature.connId(), bobPhone.connId())));
    }

    @Test
    void moreUsersThanTheLimit_orAUserTwice_orNone_isInvalidArgument_andCallsNoEdge() {
        String[] tooMany = IntStream.rangeClosed(0, PushRequestValidator.MAX_USERS).mapToObj(i -> "u" + i)
                .toArray(String[]::new);
        assertInvalid(toUsers(tooMany).build(), "users: 1001 (expected: 1..1000)");
        assertInvalid(toUsers("alice", "bob", "alice").build(), "users[2].user_id: \"alice\" (expected: each user once)");
        assertInvalid(toUsers().build(), "users: 0 (expected: 1..1000)");
        assertInvalid(toUsers("alice").setPayload(ByteString.EMPTY).build(), "payload: 0 bytes");
        assertThat(edges.delivers()).isEmpty();
    }

    @Test
    void aGroupTakesAPlacePerUser_pastTheBoundACallIsResourceExhausted() throws Exception {
        push.close();
        PushDeadlines quick = new PushDeadlines(Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofMillis(200));
        push = new InProcessPush(status, edges.answerNever(EDGE_A), PushLimits.DEFAULTS.withMaxInFlight(2), null, quick);
        online("alice", CLIENT_TYPE_WS, "phone", EDGE_A);

        // Two users take both places while the edge does not answer; a push to a third finds none.
        CompletableFuture<PushReply> held = CompletableFuture.supplyAsync(() -> push.stub().pushMany(toUsers("alice", "bob")
                .setWaitAck(true).setAckTimeoutMs(100).build()));
        await().atMost(Duration.ofSeconds(10)).until(() -> edges.delivers().size() == 1);
        assertThatThrownBy(() -> push.stub().pushMany(toUsers("carol").build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class,
                        e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED));
        assertThat(held.get(10, TimeUnit.SECONDS).getOutcomesList()).extracting(DeviceOutcome::getOutcome)
                .containsExactly(Outcome.FAILED, Outcome.OFFLINE);
        assertThat(push.stub().pushMany(toUsers("carol").build()).getOutcomesList())
                .extracting(DeviceOutcome::getOutcome).containsExactly(Outcome.OFFLINE);
    }

    private void assertInvalid(PushManyRequest request, String description) {
        assertThatThrownBy(() -> push.stub().pushMany(request))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
                    assertThat(e.getStatus().getDescription()).startsWith(description);
                });
    }

    private DeviceEntry online(String userId, ClientType clientType, String deviceId, String edgeId) {
        DeviceEntry entry = testEdges.entry(userId, clientType, deviceId, edgeId, 1_000);
        assertThat(status.connected(entry).toCompletableFuture().join().outcome()).isEqualTo(ConnectResult.Outcome.ADDED);
        return entry;
    }


    private static PushManyRequest.Builder toUsers(String... users) {
        PushManyRequest.Builder request = PushManyRequest.newBuilder().setPayload(PAYLOAD);
        for (String user : users) {
            request.addUsers(UserTarget.newBuilder().setUserId(user));
        }
        return request;
    }
}
