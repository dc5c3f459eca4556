package io.frontier.status;

import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract against a standalone redis-server. */
class RedisUserStatusTest extends UserStatusContract {

    @RegisterExtension
    static final RedisStore REDIS = RedisStore.standalone();

    @Override
    protected UserStatus status() {
        return REDIS.status();
    }
}
