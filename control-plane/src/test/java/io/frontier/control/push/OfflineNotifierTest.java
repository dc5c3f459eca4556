package io.frontier.control.push;

import static io.frontier.api.v1.ClientType.CLIENT_TYPE_TCP;
import static io.frontier.api.v1.ClientType.CLIENT_TYPE_WS;
import static io.frontier.control.testing.TestEdges.EDGE_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import com.google.protobuf.ByteString;
import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.ConnectionTarget;
import io.frontier.api.v1.DeviceOutcome;
import io.frontier.api.v1.DeviceOutcome.Outcome;
import io.frontier.api.v1.DeviceTarget;
import io.frontier.api.v1.NotifyReply;
import io.frontier.api.v1.OfflineNotification;
import io.frontier.api.v1.PushReply;
import io.frontier.api.v1.PushRequest;
import io.frontier.api.v1.UserTarget;
import io.frontier.control.testing.FakeEdgeGateway;
import io.frontier.control.testing.TestEdges;
import io.frontier.status.InMemoryUserStatus;
import io.grpc.Status;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Offline smartphones go to the offline notifier; offline feature phones are dropped. */
class OfflineNotifierTest {
    private final TestEdges testEdges = new TestEdges();
    private final FakeEdgeGateway edges = new FakeEdgeGateway().edgeAt(TestEdges.ADDRESS_A, EDGE_A);
    private final List<OfflineNotification> notified = new CopyOnWriteArrayList<>();
    private volatile CompletableFuture<NotifyReply> answer =
            CompletableFuture.completedFuture(NotifyReply.newBuilder().setAccepted(true).build());
    private InMemoryUserStatus status;
    private InProcessPush push;

    @BeforeEach
    void start() {
        status = new InMemoryUserStatus();
        push = new InProcessPush(status, edges, PushLimits.DEFAULTS, notification -> {
            notified.add(notification);
            return answer;
        });
    }

    @AfterEach
    void stop() throws InterruptedException {
        push.close();
        status.close();
    }

    private static PushRequest.Builder payload(PushRequest.Builder request) {
        return request.setPayload(ByteString.copyFromUtf8("hi")).setPayloadType("text").setService(3).setLogid(9);
    }

    private PushReply push(PushRequest.Builder request) {
        return push.stub().push(payload(request).build());
    }

    private static PushRequest.Builder toUser(String userId) {
        return PushRequest.newBuilder().setUser(UserTarget.newBuilder().setUserId(userId));
    }

    private static PushRequest.Builder toDevice(String userId, String deviceId, ClientType... clientTypes) {
        return PushRequest.newBuilder().setDevice(DeviceTarget.newBuilder().setUserId(userId).setDeviceId(deviceId)
                .addAllClientTypes(List.of(clientTypes)));
    }

    private void online(ClientType clientType, String deviceId) {
        status.connected(testEdges.entry("alice", clientType, deviceId, EDGE_A, 1)).toCompletableFuture().join();
    }

    @Test
    void userWithNoDeviceOnline_isHandedToTheNotifierForItsSmartphones() {
        PushReply reply = push(toUser("alice"));
        assertThat(reply.getOutcomesList()).extracting(DeviceOutcome::getClientType, DeviceOutcome::getOutcome)
                .containsExactly(tuple(CLIENT_TYPE_WS, Outcome.OFFLINE_NOTIFIED));
        assertThat(notified).singleElement().satisfies(n -> {
            assertThat(n.getUserId()).isEqualTo("alice");
            assertThat(n.getDeviceId()).isEmpty();
            assertThat(n.getPayload().toStringUtf8()).isEqualTo("hi");
            assertThat(n.getPayloadType()).isEqualTo("text");
            assertThat(n.getService()).isEqualTo(3);
            assertThat(n.getLogid()).isEqualTo(9);
        });
    }

    @Test
    void userWhoseOnlyDeviceOnlineIsAFeaturePhone_isNotNotified() {
        online(CLIENT_TYPE_TCP, "feature");
        PushReply reply = push(toUser("alice"));
        assertThat(reply.getOutcomesList()).extracting(DeviceOutcome::getClientType, DeviceOutcome::getOutcome)
                .containsExactly(tuple(CLIENT_TYPE_TCP, Outcome.DELIVERED));
        assertThat(notified).isEmpty();
    }

    @Test
    void featurePhoneOnAnUnreachableEdge_isNotNotified_asUserOrDeviceTarget() {
        online(CLIENT_TYPE_TCP, "feature");
        edges.unreachable(EDGE_A, "edge-a: connection refused");
        assertThat(push(toUser("alice")).getOutcomesList()).extracting(DeviceOutcome::getOutcome)
                .containsExactly(Outcome.OFFLINE);
        assertThat(push(toDevice("alice", "feature")).getOutcomesList()).extracting(DeviceOutcome::getOutcome)
                .containsExactly(Outcome.OFFLINE);
        assertThat(notified).isEmpty();
    }

    @Test
    void featurePhoneOnlyFilter_neverNotifies() {
        PushReply reply = push(PushRequest.newBuilder()
                .setUser(UserTarget.newBuilder().setUserId("alice").addClientTypes(CLIENT_TYPE_TCP)));
        assertThat(reply.getOutcomesList()).isEmpty();
        assertThat(push(toDevice("alice", "feature", CLIENT_TYPE_TCP)).getOutcomesList())
                .extracting(DeviceOutcome::getOutcome).containsExactly(Outcome.OFFLINE);
        assertThat(notified).isEmpty();
    }

    @Test
    void offlineDeviceWithoutClientType_mayBeAFeaturePhone_andIsNotNotified() {
        PushReply reply = push(toDevice("alice", "feature"));
        assertThat(reply.getOutcomesList()).singleElement().satisfies(outcome -> {
            assertThat(outcome.getOutcome()).isEqualTo(Outcome.OFFLINE);
            assertThat(outcome.getReason()).isEqualTo("device is not online");
        });
        assertThat(push(toDevice("alice", "feature", CLIENT_TYPE_TCP, CLIENT_TYPE_WS)).getOutcomesList())
                .extracting(DeviceOutcome::getOutcome).containsExactly(Outcome.OFFLINE);
        assertThat(notified).isEmpty();
    }

    @Test
    void offlineDeviceOfClientTypeWs_isNotifiedByDevice() {
        PushReply reply = push(toDevice("alice", "phone", CLIENT_TYPE_WS));
        assertThat(reply.getOutcomesList()).singleElement().satisfies(outcome -> {
            assertThat(outcome.getOutcome()).isEqualTo(Outcome.OFFLINE_NOTIFIED);
            assertThat(outcome.getClientType()).isEqualTo(CLIENT_TYPE_WS);
        });
        assertThat(notified).singleElement().satisfies(n -> assertThat(n.getDeviceId()).isEqualTo("phone"));
    }

    @Test
    void smartphoneOnAnUnreachableEdge_isNotified_asUserOrDeviceTarget() {
        online(CLIENT_TYPE_WS, "phone");
        edges.unreachable(EDGE_A, "edge-a: connection refused");
        assertThat(push(toUser("alice")).getOutcomesList()).extracting(DeviceOutcome::getDeviceId, DeviceOutcome::getOutcome)
                .containsExactly(tuple("phone", Outcome.OFFLINE_NOTIFIED));
        assertThat(push(toDevice("alice", "phone")).getOutcomesList()).extracting(DeviceOutcome::getOutcome)
                .containsExactly(Outcome.OFFLINE_NOTIFIED);
        assertThat(notified).extracting(OfflineNotification::getDeviceId).containsExactly("phone", "phone");
    }

    @Test
    void connectionTarget_isNeverNotified() {
        online(CLIENT_TYPE_WS, "phone");
        edges.unreachable(EDGE_A, "edge-a: connection refused");
        PushReply reply = push(PushRequest.newBuilder().setConnection(
                ConnectionTarget.newBuilder().setConnId(testEdges.connId(EDGE_A))));
        assertThat(reply.getOutcomesList()).extracting(DeviceOutcome::getOutcome).containsExactly(Outcome.OFFLINE);
        assertThat(notified).isEmpty();
    }

    @Test
    void refusingOrFailingNotifier_leavesTheDeviceOffline_withTheReason() {
        answer = CompletableFuture.completedFuture(NotifyReply.newBuilder().setAccepted(false).setReason("no push token").build());
        PushReply refused = push(toDevice("alice", "phone", CLIENT_TYPE_WS));
        assertThat(refused.getOutcomes(0).getOutcome()).isEqualTo(Outcome.OFFLINE);
        assertThat(refused.getOutcomes(0).getReason()).endsWith("offline notifier refused it: no push token");

        answer = CompletableFuture.failedFuture(Status.UNAVAILABLE.asRuntimeException());
        PushReply failed = push(toDevice("alice", "phone", CLIENT_TYPE_WS));
        assertThat(failed.getOutcomes(0).getOutcome()).isEqualTo(Outcome.OFFLINE);
        assertThat(failed.getOutcomes(0).getReason()).endsWith("offline notifier failed: UNAVAILABLE");
    }
}
