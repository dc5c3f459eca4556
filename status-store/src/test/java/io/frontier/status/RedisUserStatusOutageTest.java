package io.frontier.status;

import static io.frontier.api.v1.ClientType.CLIENT_TYPE_TCP;
import static io.frontier.status.Entries.await;
import static io.frontier.status.Entries.tcp;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.awaitility.Awaitility.waitAtMost;

import io.frontier.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Redis going away and coming back: calls fail fast (the Push API maps a failed stage to UNAVAILABLE rather
 * than hang), and the same store works again once Redis is back.
 */
class RedisUserStatusOutageTest {

    /** The defaults (500 ms timeouts, one retry) fail a call within about 1.2 s at worst; the margin is for CI. */
    private static final Duration FAIL_FAST = Duration.ofMillis(2_000);
    private static final Duration RECOVERY = Duration.ofSeconds(10);

    private static RedisServer redis;
    private RedisUserStatus status;

    @BeforeAll
    static void startRedis() {
        redis = new RedisServer().start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void connect() {
        if (!redis.isRunning()) {
            redis.start();
        }
        redis.flushAll();
        status = RedisUserStatus.connect(RedisStatusConfig.builder().address(redis.uri()).build());
    }

    @AfterEach
    void closeStore() {
        status.close();
    }

    @Test
    void redisKilled_everyCallFailsFastWithAnException() {
        await(status.connected(tcp("u1", "d1").build()));

        redis.kill();

        assertFailsFast(() -> status.connected(tcp("u1", "d2").build()));
        assertFailsFast(() -> status.disconnected("u1", CLIENT_TYPE_TCP, "d1", "c1"));
        assertFailsFast(() -> status.devices("u1", Set.of()));
        assertFailsFast(() -> status.device("u1", "d1", Set.of()));
        assertFailsFast(() -> status.edgeEntries("edge-1"));
        assertFailsFast(() -> status.purgeEdge("edge-1", "run-1"));
        assertFailsFast(() -> status.purgeEdgeExcept("edge-1", null));
        assertFailsFast(status::knownEdges);
        assertFailsFast(() -> status.reconcile("edge-1", "run-1", List.of(tcp("u1", "d1").build())));
    }

    @Test
    void redisFrozen_callFailsAfterTheCommandTimeoutInsteadOfHanging() {
        await(status.connected(tcp("u1", "d1").build()));

        redis.freeze();
        try {
            assertFailsFast(() -> status.devices("u1", Set.of()));
            assertFailsFast(() -> status.connected(tcp("u1", "d2").build()));
        } finally {
            redis.thaw();
        }
    }

    @Test
    void redisRestartedOnSamePort_sameStoreWorksAgain() {
        await(status.connected(tcp("u1", "d1").build()));
        redis.kill();
        assertFailsFast(() -> status.devices("u1", Set.of()));

        redis.start();

        DeviceEntry entry = tcp("u2", "d1").conn("c2").build();
        waitAtMost(RECOVERY).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> status.connected(entry).toCompletableFuture().get() != null);
        assertThat(await(status.devices("u2", Set.of()))).containsExactly(entry);
        // A restarted Redis without persistence lost the rest: edges re-send snapshots to rebuild it.
        assertThat(await(status.devices("u1", Set.of()))).isEmpty();
    }

    @Test
    void redisBackWithoutItsData_readsAreUnavailable_untilTheNewEpochIsAdopted() {
        String before = await(status.epoch());
        status.adoptEpoch(before);
        DeviceEntry entry = tcp("u1", "d1").build();
        await(status.connected(entry));
        redis.kill();
        redis.start();

        // A read that said "no device" now would call a connected device offline.
        waitAtMost(RECOVERY).pollInterval(Duration.ofMillis(50)).until(() -> unavailableWith(status.devices("u1", Set.of()),
                "Redis lost its data: edges are reporting their connections again"));
        assertThat(unavailableWith(status.device("u1", "d1", Set.of()),
                "Redis lost its data: edges are reporting their connections again")).isTrue();

        String after = await(status.epoch());
        assertThat(after).isNotEqualTo(before);
        assertThat(await(status.syncedEdges(after))).isEmpty();
        await(status.reconcile("edge-1", "run-1", List.of(entry)));
        assertThat(await(status.syncedEdges(after))).containsExactly(Map.entry("edge-1", "run-1"));
        assertThat(unavailableWith(status.devices("u1", Set.of()),
                "Redis lost its data: edges are reporting their connections again"))
                .as("reading the new epoch is not adopting it").isTrue();

        status.adoptEpoch(after);
        assertThat(await(status.devices("u1", Set.of()))).containsExactly(entry);
    }

    private static boolean unavailableWith(CompletionStage<?> stage, String message) {
        try {
            stage.toCompletableFuture().get();
            return false;
        } catch (ExecutionException e) {
            return e.getCause() instanceof StatusStoreUnavailableException && message.equals(e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Test
    void redisStoppedAndRestarted_scriptsAreLoadedAgain() {
        await(status.disconnected("u1", CLIENT_TYPE_TCP, "d1", "c1"));
        redis.stop();
        redis.start();

        waitAtMost(RECOVERY).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> !status.disconnected("u1", CLIENT_TYPE_TCP, "d1", "c1").toCompletableFuture().get());
        assertThat(await(status.connected(tcp("u1", "d1").build()))).isEqualTo(ConnectResult.added());
    }

    @Test
    void connect_whileRedisIsDown_succeedsAndCallsWorkOnceRedisIsUp() {
        status.close();
        redis.stop();

        assertThatCode(() -> status = RedisUserStatus.connect(RedisStatusConfig.builder().address(redis.uri()).build()))
                .doesNotThrowAnyException();
        assertFailsFast(() -> status.devices("u1", Set.of()));

        redis.start();
        waitAtMost(RECOVERY).pollInterval(Duration.ofMillis(50)).ignoreExceptions()
                .until(() -> status.devices("u1", Set.of()).toCompletableFuture().get().isEmpty());
    }

    @Test
    void close_makesLaterCallsFailAndCanBeRepeated() {
        status.close();
        status.close();

        assertThat(status.devices("u1", Set.of()).toCompletableFuture())
                .failsWithin(Duration.ZERO)
                .withThrowableOfType(ExecutionException.class)
                .withCauseInstanceOf(IllegalStateException.class)
                .withMessageContaining("UserStatus is closed");
    }

    /** Asserts that the call fails fast, as unavailable, with a short message that names nothing of the command. */
    private static void assertFailsFast(Supplier<CompletionStage<?>> call) {
        long start = System.nanoTime();
        CompletableFuture<?> stage = call.get().toCompletableFuture();
        assertThat(stage).failsWithin(FAIL_FAST).withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOf(StatusStoreUnavailableException.class)
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(80).doesNotContain("redis.call", "EVAL"));
        assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(FAIL_FAST);
    }
}
