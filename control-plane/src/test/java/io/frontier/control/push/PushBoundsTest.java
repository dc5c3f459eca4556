package io.frontier.control.push;

import static io.frontier.api.v1.ClientType.CLIENT_TYPE_TCP;
import static io.frontier.api.v1.ClientType.CLIENT_TYPE_WS;
import static io.frontier.control.testing.TestEdges.EDGE_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.frontier.api.v1.DeviceOutcome.Outcome;
import io.frontier.api.v1.DeviceTarget;
import io.frontier.api.v1.PushReply;
import io.frontier.api.v1.PushRequest;
import io.frontier.api.v1.UserTarget;
import io.frontier.control.testing.FailingUserStatus;
import io.frontier.control.testing.FakeEdgeGateway;
import io.frontier.control.testing.TestEdges;
import io.frontier.status.InMemoryUserStatus;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Every Push is answered within the control plane's own bounds, whatever the status store, an
 * edge or the offline notifier does. Short bounds here; the stub's 10 s deadline fails a push that hangs.
 */
class PushBoundsTest {
    private static final PushDeadlines SHORT =
            new PushDeadlines(Duration.ofMillis(200), Duration.ofMillis(300), Duration.ofMillis(200));

    private final TestEdges testEdges = new TestEdges();
    private final FakeEdgeGateway edges = new FakeEdgeGateway().edgeAt(TestEdges.ADDRESS_A, EDGE_A);
    private final InMemoryUserStatus status = new InMemoryUserStatus();
    private InProcessPush push;

    @AfterEach
    void stop() throws InterruptedException {
        if (push != null) {
            push.close();
        }
        status.close();
    }

    private static PushRequest.Builder payload() {
        return PushRequest.newBuilder().setPayload(ByteString.copyFromUtf8("hi"));
    }

    @Test
    void edgeThatNeverAnswers_failsItsDevicesAfterTheAckWaitAndTheMargin() {
        push = new InProcessPush(status, edges.answerNever(EDGE_A), PushLimits.DEFAULTS, null, SHORT);
        status.connected(testEdges.entry("alice", CLIENT_TYPE_TCP, "phone", EDGE_A, 1)).toCompletableFuture().join();

        long start = System.nanoTime();
        PushReply reply = push.stub().push(payload().setWaitAck(true).setAckTimeoutMs(100)
                .setUser(UserTarget.newBuilder().setUserId("alice")).build());

        assertThat(reply.getOutcomesList()).singleElement().satisfies(outcome -> {
            assertThat(outcome.getOutcome()).isEqualTo(Outcome.FAILED);
            assertThat(outcome.getReason()).isEqualTo("edge edge-a did not answer within 400 ms");
        });
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(400));
    }

    @Test
    void statusStoreThatNeverAnswers_isUnavailable() {
        push = new InProcessPush(FailingUserStatus.silent(), edges, PushLimits.DEFAULTS, null, SHORT);

        assertThatThrownBy(() -> push.stub().push(payload()
                .setDevice(DeviceTarget.newBuilder().setUserId("alice").setDeviceId("phone")).build()))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(e.getStatus().getDescription())
                            .isEqualTo("status store unavailable: it did not answer within 200 ms");
                });
        assertThat(edges.delivers()).isEmpty();
    }

    @Test
    void notifierThatNeverAnswers_leavesTheSmartphoneOffline() {
        push = new InProcessPush(status, edges, PushLimits.DEFAULTS, notification -> new CompletableFuture<>(), SHORT);
        status.connected(testEdges.entry("alice", CLIENT_TYPE_WS, "phone", EDGE_A, 1)).toCompletableFuture().join();
        edges.unreachable(EDGE_A, "edge-a: connection refused");

        PushReply reply = push.stub().push(payload().setUser(UserTarget.newBuilder().setUserId("alice")).build());

        assertThat(reply.getOutcomesList()).singleElement().satisfies(outcome -> {
            assertThat(outcome.getOutcome()).isEqualTo(Outcome.OFFLINE);
            assertThat(outcome.getReason()).endsWith("; offline notifier failed: did not answer within 200 ms");
        });
    }

    @Test
    void bound_isTheAckWaitPlusEachStepsShare() {
        assertThat(PushDeadlines.DEFAULTS.bound(0)).isEqualTo(Duration.ofSeconds(25));
        assertThat(PushDeadlines.DEFAULTS.bound(60_000)).isEqualTo(Duration.ofSeconds(85));
    }

    @Test
    void aCallPastTheMostInFlight_isResourceExhaustedAtOnce_andTheNextAfterAnAnswerIsTaken() throws Exception {
        push = new InProcessPush(status, edges.answerNever(EDGE_A), PushLimits.DEFAULTS.withMaxInFlight(1), null, SHORT);
        status.connected(testEdges.entry("alice", CLIENT_TYPE_TCP, "phone", EDGE_A, 1)).toCompletableFuture().join();
        PushRequest toAlice = payload().setWaitAck(true).setAckTimeoutMs(100)
                .setUser(UserTarget.newBuilder().setUserId("alice")).build();

        CompletableFuture<PushReply> first = CompletableFuture.supplyAsync(() -> push.stub().push(toAlice));
        await().atMost(Duration.ofSeconds(10)).until(() -> edges.delivers().size() == 1);
        assertThatThrownBy(() -> push.stub().push(toAlice))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
                    assertThat(e.getStatus().getDescription()).isEqualTo("the Push API answers 1 calls at once: retry later");
                });
        assertThat(edges.delivers()).as("the refused call did nothing").hasSize(1);

        assertThat(first.get(10, TimeUnit.SECONDS).getOutcomes(0).getOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(push.stub().push(toAlice).getOutcomes(0).getOutcome()).isEqualTo(Outcome.FAILED);
        assertThat(edges.delivers()).hasSize(2);
    }

    @Test
    void maxInFlight_outOfRange_saysWhatWasExpected() {
        assertThatThrownBy(() -> PushLimits.DEFAULTS.withMaxInFlight(0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxInFlight: 0 (expected: 1..1000000)");
    }
}
