package io.frontier.status.pending;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The contract, held by the standalone gateway's store; and its count of bytes under concurrent changes. */
class InMemoryPendingStoreTest extends PendingStoreContract {
    @Override
    PendingStore create(PendingLimits limits) {
        return new InMemoryPendingStore(limits);
    }

    @Test
    void concurrentKeepsAcksAndExpiries_leaveNoBytesCounted_onceEverythingIsGone() throws Exception {
        InMemoryPendingStore store = (InMemoryPendingStore) store(new PendingLimits(10, 1L << 20));
        ExecutorService threads = Executors.newFixedThreadPool(4);
        try {
            List<Future<?>> work = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int thread = t;
                work.add(threads.submit(() -> {
                    for (int i = 0; i < 2000; i++) {
                        DeviceId device = new DeviceId("user-" + (i % 7), "phone");
                        String id = "m-" + thread + "-" + i;
                        await(store.keep(device, message(id, NOW + 1 + i % 50, i % 3 == 0 ? "k" + (i % 5) : "")));
                        if (i % 2 == 0) {
                            await(store.acknowledge(device, id));
                        }
                        if (i % 100 == 0) {
                            await(store.expire(NOW + i % 50, 20));
                        }
                    }
                }));
            }
            for (Future<?> done : work) {
                done.get();
            }
        } finally {
            threads.shutdownNow();
        }
        while (!await(store.expire(NOW + 1000, 1000)).isEmpty()) {
            // Every message is due by now: each round takes up to a thousand.
        }
        assertThat(store.bytes()).isZero();
        for (int u = 0; u < 7; u++) {
            assertThat(await(store.pending(new DeviceId("user-" + u, "phone"), 0, 100))).isEmpty();
        }
    }
}
