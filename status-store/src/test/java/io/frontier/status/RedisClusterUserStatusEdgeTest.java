package io.frontier.status;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The edge contract against a Redis Cluster of three masters: indexes and user hashes in different slots. */
class RedisClusterUserStatusEdgeTest extends UserStatusEdgeContract {

    @RegisterExtension
    static final RedisStore REDIS = RedisStore.cluster();

    @Override
    protected UserStatus status() {
        return REDIS.status();
    }
}
