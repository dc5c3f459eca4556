package io.frontier.status.pending;

import io.frontier.status.RedisStatusConfig;
import io.frontier.testing.RedisCluster;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/** The contract against a Redis Cluster of three masters: every script keeps to its user's slot. */
class RedisClusterPendingStoreTest extends PendingStoreContract {
    private static RedisCluster nodes;

    @BeforeAll
    static void startCluster() {
        nodes = RedisCluster.start(3);
    }

    @AfterAll
    static void stopCluster() {
        nodes.close();
    }

    @BeforeEach
    void empty() {
        nodes.flushAll();
    }

    @Override
    PendingStore create(PendingLimits limits) {
        return RedisPendingStore.connect(RedisStatusConfig.builder().mode(RedisStatusConfig.Mode.CLUSTER)
                .addresses(nodes.uris()).build(), limits, Duration.ofHours(1));
    }
}
