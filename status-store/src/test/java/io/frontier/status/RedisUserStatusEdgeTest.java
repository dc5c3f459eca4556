package io.frontier.status;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The edge contract against a standalone redis-server. */
class RedisUserStatusEdgeTest extends UserStatusEdgeContract {

    @RegisterExtension
    static final RedisStore REDIS = RedisStore.standalone();

    @Override
    protected UserStatus status() {
        return REDIS.status();
    }
}
