package io.frontier.status.pending;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What every {@link PendingStore} does, whatever holds the messages; each store's test extends it. */
abstract class PendingStoreContract {
    static final DeviceId ALICE = new DeviceId("alice", "phone-1");
    static final DeviceId BOB = new DeviceId("bob", "phone-1");
    static final long NOW = 1_000_000;

    private PendingStore store;

    /** Returns an empty store with {@code limits}, closed after the test. */
    abstract PendingStore create(PendingLimits limits);

    PendingStore store(PendingLimits limits) {
        store = create(limits);
        return store;
    }

    @AfterEach
    void close() {
        if (store != null) {
            store.close();
        }
    }

    static PendingMessage message(String id, long expiresAtMs, String collapseKey) {
        return new PendingMessage(id, 0, NOW, expiresAtMs, collapseKey, ByteString.copyFromUtf8("payload of " + id),
                "text", 7, 42);
    }

    static PendingMessage message(String id) {
        return message(id, NOW + 60_000, "");
    }

    static <T> T await(CompletionStage<T> stage) {
        try {
            return stage.toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            throw new AssertionError(e);
        }
    }

    static List<String> ids(List<PendingMessage> messages) {
        return messages.stream().map(PendingMessage::messageId).toList();
    }

    @Test
    void keptMessages_comeBackInTheOrderKept_afterACursor_atMostTheLimit() {
        PendingStore store = store(PendingLimits.DEFAULTS);
        KeepResult a = await(store.keep(ALICE, message("a")));
        KeepResult b = await(store.keep(ALICE, message("b")));
        await(store.keep(ALICE, message("c")));

        assertThat(a.duplicate()).isFalse();
        assertThat(b.message().seq()).isGreaterThan(a.message().seq());
        assertThat(b.message().payload()).isEqualTo(ByteString.copyFromUtf8("payload of b"));
        assertThat(ids(await(store.pending(ALICE, 0, 10)))).containsExactly("a", "b", "c");
        assertThat(ids(await(store.pending(ALICE, a.message().seq(), 1)))).containsExactly("b");
        assertThat(await(store.pending(BOB, 0, 10))).as("another device's queue").isEmpty();
    }

    @Test
    void theSameIdTwice_isOneMessage_theFirstKeptAsItWas() {
        PendingStore store = store(PendingLimits.DEFAULTS);
        KeepResult first = await(store.keep(ALICE, message("a", NOW + 1000, "")));
        KeepResult again = await(store.keep(ALICE, message("a", NOW + 9000, "")));

        assertThat(again.duplicate()).isTrue();
        assertThat(again.message()).isEqualTo(first.message());
        assertThat(await(store.pending(ALICE, 0, 10))).containsExactly(first.message());
        assertThat(await(store.keep(BOB, message("a"))).duplicate()).as("ids are per device").isFalse();
    }

    @Test
    void aNewerMessageWithTheSameCollapseKey_replacesTheOlder() {
        PendingStore store = store(PendingLimits.DEFAULTS);
        await(store.keep(ALICE, message("score-1", NOW + 60_000, "score")));
        await(store.keep(ALICE, message("other")));
        KeepResult newer = await(store.keep(ALICE, message("score-2", NOW + 60_000, "score")));

        assertThat(newer.gone()).containsExactly(new Receipt(ALICE, "score-1", Receipt.Kind.COLLAPSED, NOW));
        assertThat(ids(await(store.pending(ALICE, 0, 10)))).containsExactly("other", "score-2");
        assertThat(await(store.find(ALICE, "score-1"))).isEmpty();
    }

    @Test
    void pastTheMostPerDevice_theOldestGoes_withAReceipt() {
        PendingStore store = store(new PendingLimits(2, 1L << 20));
        await(store.keep(ALICE, message("a")));
        await(store.keep(ALICE, message("b")));
        KeepResult c = await(store.keep(ALICE, message("c")));

        assertThat(c.gone()).containsExactly(new Receipt(ALICE, "a", Receipt.Kind.DROPPED, NOW));
        assertThat(ids(await(store.pending(ALICE, 0, 10)))).containsExactly("b", "c");
    }

    @Test
    void anAck_removesTheMessage_once() {
        PendingStore store = store(PendingLimits.DEFAULTS);
        KeepResult a = await(store.keep(ALICE, message("a")));
        await(store.keep(ALICE, message("b")));

        assertThat(await(store.find(ALICE, "a"))).contains(a.message());
        assertThat(await(store.acknowledge(ALICE, "a"))).contains(a.message());
        assertThat(await(store.acknowledge(ALICE, "a"))).isEmpty();
        assertThat(await(store.find(ALICE, "a"))).isEmpty();
        assertThat(ids(await(store.pending(ALICE, 0, 10)))).containsExactly("b");
        assertThat(await(store.acknowledge(BOB, "b"))).as("another device's ack").isEmpty();
    }

    @Test
    void expiry_takesTheMessagesDue_earliestFirst_atMostMax_andNotThoseAcknowledged() {
        PendingStore store = store(PendingLimits.DEFAULTS);
        await(store.keep(ALICE, message("late", NOW + 3000, "")));
        await(store.keep(ALICE, message("early", NOW + 1000, "")));
        await(store.keep(BOB, message("middle", NOW + 2000, "")));
        await(store.keep(BOB, message("acked", NOW + 1500, "")));
        await(store.acknowledge(BOB, "acked"));

        assertThat(await(store.expire(NOW + 999, 10))).isEmpty();
        assertThat(await(store.expire(NOW + 2500, 1)))
                .containsExactly(new Receipt(ALICE, "early", Receipt.Kind.EXPIRED, NOW + 2500));
        assertThat(await(store.expire(NOW + 2500, 10)))
                .containsExactly(new Receipt(BOB, "middle", Receipt.Kind.EXPIRED, NOW + 2500));
        assertThat(ids(await(store.pending(ALICE, 0, 10)))).containsExactly("late");
        assertThat(await(store.pending(BOB, 0, 10))).isEmpty();
    }

    @Test
    void aDevicesPlacesKeepGrowing_acrossAnEmptyQueue() {
        PendingStore store = store(PendingLimits.DEFAULTS);
        KeepResult a = await(store.keep(ALICE, message("a")));
        await(store.acknowledge(ALICE, "a"));
        KeepResult b = await(store.keep(ALICE, message("b")));

        assertThat(b.message().seq()).isGreaterThan(a.message().seq());
        assertThat(ids(await(store.pending(ALICE, a.message().seq(), 10)))).containsExactly("b");
    }
}
