package io.frontier.status;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract against a Redis Cluster of three masters: every script keeps to one slot. */
class RedisClusterUserStatusTest extends UserStatusContract {

    @RegisterExtension
    static final RedisStore REDIS = RedisStore.cluster();

    @Override
    protected UserStatus status() {
        return REDIS.status();
    }
}
