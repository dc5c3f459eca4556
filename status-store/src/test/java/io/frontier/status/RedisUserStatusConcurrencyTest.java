package io.frontier.status;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The concurrency contract against a standalone redis-server, smaller than in memory: each step is a round trip. */
class RedisUserStatusConcurrencyTest extends UserStatusConcurrencyContract {

    @RegisterExtension
    static final RedisStore REDIS = RedisStore.standalone();

    private static final RedisKeys KEYS = new RedisKeys("frontier");

    /** Empties Redis and returns a new client: each round closes its store. */
    @Override
    protected UserStatus newStatus() {
        REDIS.server().flushAll();
        return RedisUserStatus.connect(REDIS.config(builder -> builder));
    }

    @Override
    protected int rounds() {
        return 3;
    }

    @Override
    protected int connectionsPerThread() {
        return 100;
    }

    /**
     * The index names exactly the live entries: every loser's record was dropped by the connect that beat it
     * or by its own disconnect, and nothing else is left behind.
     */
    @Override
    protected void assertStoreConsistent(UserStatus status, List<DeviceEntry> entries) {
        Map<String, Long> perEdge = entries.stream().collect(Collectors.groupingBy(DeviceEntry::edgeId,
                Collectors.counting()));
        for (int edge = 0; edge < 3; edge++) {
            String edgeId = "edge-" + edge;
            assertThat(Long.parseLong(REDIS.server().command("HLEN", KEYS.edge(edgeId))))
                    .as("index records of %s", edgeId)
                    .isEqualTo(perEdge.getOrDefault(edgeId, 0L));
        }
        for (DeviceEntry entry : entries) {
            assertThat(REDIS.server().command("HEXISTS", KEYS.edge(entry.edgeId()), entry.connId())).isEqualTo("1");
        }
    }
}
