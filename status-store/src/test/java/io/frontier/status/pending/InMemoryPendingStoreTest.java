package io.frontier.status.pending;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/** The contract, held by the standalone gateway's store; and its bound on bytes in all, under concurrent changes too. */
class InMemoryPendingStoreTest extends PendingStoreContract {
    @Override
    PendingStore create(PendingLimits limits) {
        return new InMemoryPendingStore(limits);
    }

    @Test
    void pastTheMostBytes_aMessageIsRefused_untilAnAckMakesRoom() {
        PendingStore store = store(new PendingLimits(100_000, 1L << 20));
        ByteString big = ByteString.copyFrom(new byte[400_000]);
        for (String id : List.of("a", "b")) {
            await(store.keep(ALICE, new PendingMessage(id, 0, NOW, NOW + 60_000, "", big, "", 0, 0)));
        }
        PendingMessage third = new PendingMessage("c", 0, NOW, NOW + 60_000, "", big, "", 0, 0);
        Assertions.assertThat(store.keep(BOB, third).toCompletableFuture())
                .failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                .havingCause().isInstanceOf(PendingStoreFullException.class);
        assertThat(await(store.pending(BOB, 0, 10))).isEmpty();

        await(store.acknowledge(ALICE, "a"));
        assertThat(await(store.keep(BOB, third)).duplicate()).isFalse();
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
