package io.frontier.status;

import static io.frontier.status.Entries.tcp;
import static io.frontier.status.Entries.ws;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link UserStatus} must keep when many threads report about the same devices at once. Each store
 * runs it through a subclass, which sizes it.
 */
abstract class UserStatusConcurrencyContract {

    private static final int THREADS = 8;
    private static final int EDGES = 3;

    private final ExecutorService pool = Executors.newFixedThreadPool(THREADS);

    @AfterEach
    void stopPool() {
        pool.shutdownNow();
    }

    /** Returns an empty store; the test closes it. */
    protected abstract UserStatus newStatus();

    /** Returns how many times the one-device race is run, each time on a new store. */
    protected abstract int rounds();

    /** Returns how many connections each thread reports per round. */
    protected abstract int connectionsPerThread();

    /** Returns the value of {@code stage}, failing the test if it takes more than a few seconds. */
    protected <T> T await(CompletionStage<T> stage) {
        return Entries.await(stage);
    }

    /** Checks what only this store can see once every thread is done, such as Redis's own index. */
    protected void assertStoreConsistent(UserStatus status, List<DeviceEntry> entries) {
    }

    /**
     * Every thread plays edges holding connections of one device. A connection dies when it disconnects,
     * when its report comes back STALE, or when a newer one REPLACES it (the edge closes it with Bye 409);
     * in the end the store must hold exactly the one connection still alive, or nothing.
     */
    @Test
    void sameDevice_connectAndDisconnectFromManyThreads_endsWithTheLiveConnectionOrNone() throws Exception {
        for (int round = 0; round < rounds(); round++) {
            try (UserStatus status = newStatus()) {
                Set<DeviceEntry> accepted = ConcurrentHashMap.newKeySet();
                Set<String> dead = ConcurrentHashMap.newKeySet();

                runOnAllThreads(thread -> {
                    ThreadLocalRandom random = ThreadLocalRandom.current();
                    for (int i = 0; i < connectionsPerThread(); i++) {
                        // Few distinct times, so that ties and late reports of old connections are common.
                        DeviceEntry entry = tcp("u1", "d1").conn("t" + thread + "-" + i)
                                .edge("edge-" + random.nextInt(EDGES), "run-1").at(random.nextLong(50)).build();
                        ConnectResult result = await(status.connected(entry));
                        switch (result.outcome()) {
                            case ADDED -> accepted.add(entry);
                            case REPLACED -> {
                                accepted.add(entry);
                                dead.add(result.other().orElseThrow().connId());
                            }
                            case STALE -> dead.add(entry.connId());
                            case SAME -> throw new AssertionError("a new connection came back SAME: " + entry);
                        }
                        if (random.nextBoolean()) {
                            await(status.disconnected("u1", entry.clientType(), "d1", entry.connId()));
                            dead.add(entry.connId());
                        }
                    }
                });

                List<DeviceEntry> live = accepted.stream().filter(entry -> !dead.contains(entry.connId())).toList();
                assertThat(live).hasSizeLessThanOrEqualTo(1);
                assertThat(await(status.devices("u1", Set.of()))).isEqualTo(live);
                assertThat(allEdgeEntries(status)).isEqualTo(live);
                assertStoreConsistent(status, live);
            }
        }
    }

    @Test
    void manyDevices_churnAcrossEdges_keepsEdgeIndexEqualToEntries() throws Exception {
        try (UserStatus status = newStatus()) {
            runOnAllThreads(thread -> {
                ThreadLocalRandom random = ThreadLocalRandom.current();
                for (int i = 0; i < connectionsPerThread() * 4; i++) {
                    String userId = "u" + random.nextInt(4);
                    String deviceId = "d" + random.nextInt(4);
                    Entries.Builder builder = random.nextBoolean() ? tcp(userId, deviceId) : ws(userId, deviceId);
                    DeviceEntry entry = builder.conn("t" + thread + "-" + i)
                            .edge("edge-" + random.nextInt(EDGES), "run-1").at(i).build();
                    await(status.connected(entry));
                    if (random.nextInt(3) == 0) {
                        await(status.disconnected(userId, entry.clientType(), deviceId, entry.connId()));
                    }
                }
            });

            List<DeviceEntry> stored = new ArrayList<>();
            for (int user = 0; user < 4; user++) {
                stored.addAll(await(status.devices("u" + user, Set.of())));
            }
            assertThat(allEdgeEntries(status)).containsExactlyInAnyOrderElementsOf(stored);
            for (int edge = 0; edge < EDGES; edge++) {
                String edgeId = "edge-" + edge;
                assertThat(await(status.edgeEntries(edgeId))).allSatisfy(
                        entry -> assertThat(entry.edgeId()).isEqualTo(edgeId));
            }
            assertStoreConsistent(status, stored);
        }
    }

    private List<DeviceEntry> allEdgeEntries(UserStatus status) {
        List<DeviceEntry> entries = new ArrayList<>();
        for (int edge = 0; edge < EDGES; edge++) {
            entries.addAll(await(status.edgeEntries("edge-" + edge)));
        }
        return entries;
    }

    private void runOnAllThreads(ThreadBody body) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        List<Future<?>> running = new ArrayList<>();
        for (int thread = 0; thread < THREADS; thread++) {
            int id = thread;
            running.add(pool.submit(() -> {
                start.await();
                body.run(id);
                return null;
            }));
        }
        start.countDown();
        for (Future<?> future : running) {
            future.get(30, TimeUnit.SECONDS);
        }
    }

    @FunctionalInterface
    private interface ThreadBody {
        void run(int thread);
    }
}
