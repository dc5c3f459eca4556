package io.frontier.control.push;

import static io.frontier.api.v1.ClientType.CLIENT_TYPE_TCP;
import static io.frontier.control.testing.TestEdges.EDGE_A;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.frontier.api.v1.DeviceOutcome;
import io.frontier.api.v1.DeviceOutcome.Outcome;
import io.frontier.api.v1.DeviceTarget;
import io.frontier.api.v1.PushRequest;
import io.frontier.api.v1.UserTarget;
import io.frontier.control.testing.FakeEdgeGateway;
import io.frontier.control.testing.TestEdges;
import io.frontier.status.DeviceEntry;
import io.frontier.status.RedisStatusConfig;
import io.frontier.status.RedisUserStatus;
import io.frontier.testing.RedisServer;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Pushes while the Redis status store cannot answer, on a real redis-server: UNAVAILABLE with a
 * short description, never OFFLINE for a device that is connected.
 */
class PushWithRedisDownTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final TestEdges testEdges = new TestEdges();
    private final FakeEdgeGateway edges = new FakeEdgeGateway().edgeAt(TestEdges.ADDRESS_A, EDGE_A);
    private RedisServer redis;
    private RedisUserStatus status;
    private InProcessPush push;

    @BeforeEach
    void start() {
        redis = new RedisServer().start();
        status = RedisUserStatus.connect(RedisStatusConfig.builder().address(redis.uri()).build());
        push = new InProcessPush(status, edges, PushLimits.DEFAULTS);
    }

    @AfterEach
    void stop() throws InterruptedException {
        push.close();
        status.close();
        redis.close();
    }

    private static List<PushRequest> pushesToAlicesPhone() {
        ByteString payload = ByteString.copyFromUtf8("hi");
        return List.of(
                PushRequest.newBuilder().setPayload(payload).setUser(UserTarget.newBuilder().setUserId("alice")).build(),
                PushRequest.newBuilder().setPayload(payload)
                        .setDevice(DeviceTarget.newBuilder().setUserId("alice").setDeviceId("phone")).build());
    }

    private static void assertUnavailable(InProcessPush push, PushRequest request, String description) {
        assertThatThrownBy(() -> push.stub().push(request))
                .isInstanceOfSatisfying(StatusRuntimeException.class, e -> {
                    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
                    assertThat(e.getStatus().getDescription()).isEqualTo(description);
                });
    }

    @Test
    void redisStopped_pushesAreUnavailable_withAShortDescription() {
        status.connected(testEdges.entry("alice", CLIENT_TYPE_TCP, "phone", EDGE_A, 1)).toCompletableFuture().join();

        redis.stop();
        for (PushRequest request : pushesToAlicesPhone()) {
            assertUnavailable(push, request, "status store unavailable: Redis unreachable");
        }
        assertThat(edges.delivers()).isEmpty();
    }

    @Test
    void redisBackWithoutItsData_pushesAreUnavailable_untilTheEdgesReportedAgain() {
        status.adoptEpoch(status.epoch().toCompletableFuture().join());
        DeviceEntry phone = testEdges.entry("alice", CLIENT_TYPE_TCP, "phone", EDGE_A, 1);
        status.connected(phone).toCompletableFuture().join();

        redis.kill();
        redis.start();

        String lost = "status store unavailable: Redis lost its data: edges are reporting their connections again";
        await().atMost(WAIT).ignoreExceptions().untilAsserted(() -> assertUnavailable(push, pushesToAlicesPhone().get(0), lost));
        assertUnavailable(push, pushesToAlicesPhone().get(1), lost);

        // What the control plane does once it noticed the new epoch: the edges' snapshots, then the adoption.
        String epoch = status.epoch().toCompletableFuture().join();
        status.reconcile(EDGE_A, phone.edgeInstance(), List.of(phone)).toCompletableFuture().join();
        assertUnavailable(push, pushesToAlicesPhone().get(0), lost);
        status.adoptEpoch(epoch);
        for (PushRequest request : pushesToAlicesPhone()) {
            assertThat(push.stub().push(request).getOutcomesList()).extracting(DeviceOutcome::getOutcome)
                    .containsExactly(Outcome.DELIVERED);
        }
    }
}
