package io.frontier.status.pending;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import io.frontier.status.RedisStatusConfig;
import io.frontier.testing.RedisServer;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The contract, held by the cluster's store on a real Redis; and Redis's maxmemory as the bound in all. */
class RedisPendingStoreTest extends PendingStoreContract {
    private static RedisServer redis;

    @BeforeAll
    static void startRedis() {
        redis = new RedisServer().start();
    }

    @AfterAll
    static void stopRedis() {
        redis.close();
    }

    @BeforeEach
    void empty() {
        redis.command("FLUSHALL");
    }

    @Override
    PendingStore create(PendingLimits limits) {
        return RedisPendingStore.connect(RedisStatusConfig.builder().address(redis.uri()).build(), limits,
                Duration.ofHours(1));
    }

    @Test
    void aMessage_readsBackAsItWasKept_byteForByte() {
        PendingStore store = store(PendingLimits.DEFAULTS);
        PendingMessage message = new PendingMessage("m-ü", 0, NOW, NOW + 5, "k:é", ByteString.copyFrom(
                new byte[] {0, ':', 1, -1, '\n'}), "pb", -3, Long.MIN_VALUE);
        KeepResult kept = await(store.keep(ALICE, message));

        assertThat(await(store.find(ALICE, "m-ü"))).contains(kept.message());
        assertThat(kept.message()).isEqualTo(message.at(kept.message().seq()));
    }

    @Test
    void aKeepThatRedisRefusesForMemory_failsAsTheStoreBeingFull() {
        PendingStore store = store(PendingLimits.DEFAULTS);
        redis.command("CONFIG", "SET", "maxmemory-policy", "noeviction");
        redis.command("CONFIG", "SET", "maxmemory", "1");
        try {
            Assertions.assertThat(store.keep(ALICE, message("a")).toCompletableFuture())
                    .failsWithin(10, TimeUnit.SECONDS).withThrowableOfType(ExecutionException.class)
                    .havingCause().isInstanceOf(PendingStoreFullException.class);
        } finally {
            redis.command("CONFIG", "SET", "maxmemory", "0");
        }
        assertThat(await(store.keep(ALICE, message("a"))).duplicate()).isFalse();
    }
}
