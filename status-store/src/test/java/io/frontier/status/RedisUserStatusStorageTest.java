package io.frontier.status;

import static io.frontier.api.v1.ClientType.CLIENT_TYPE_TCP;
import static io.frontier.api.v1.ClientType.CLIENT_TYPE_WS;
import static io.frontier.status.Entries.await;
import static io.frontier.status.Entries.tcp;
import static io.frontier.status.Entries.ws;
import static org.assertj.core.api.Assertions.assertThat;

import io.frontier.testing.RedisServer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** What the Redis store writes, and how it treats index records that outlived their entries. */
class RedisUserStatusStorageTest {

    @RegisterExtension
    static final RedisStore REDIS = RedisStore.standalone();

    private static final RedisKeys KEYS = new RedisKeys("frontier");

    private final RedisUserStatus status = REDIS.status();
    private final RedisServer redis = REDIS.server();

    @Test
    void keys_carryHashTagsAndKeepFamiliesApart() {
        await(status.connected(tcp("alice", "d1").conn("c1").edge("edge-1", "run-1").build()));
        await(status.connected(ws("alice", "d1").conn("c2").edge("edge-1", "run-1").build()));

        assertThat(redis.command("EXISTS", "frontier:{u:alice}:tcp")).isEqualTo("1");
        assertThat(redis.command("EXISTS", "frontier:{u:alice}:ws")).isEqualTo("1");
        assertThat(redis.command("EXISTS", "frontier:{e:edge-1}:conns")).isEqualTo("1");
        assertThat(redis.command("SISMEMBER", "frontier:{edges}", "edge-1")).isEqualTo("1");
        assertThat(redis.command("DBSIZE")).isEqualTo("4");
        assertThat(redis.command("HLEN", "frontier:{u:alice}:tcp")).isEqualTo("1");
        assertThat(redis.command("HLEN", "frontier:{e:edge-1}:conns")).isEqualTo("2");
    }

    @Test
    void entry_isStoredInTheDocumentedLayout() {
        await(status.connected(new DeviceEntry("alice", CLIENT_TYPE_TCP, "phone-1", "c-01", "edge-1", "run-7",
                "10.0.0.7:40000", 1_700_000_000_000L)));

        assertThat(redis.command("HGET", "frontier:{u:alice}:tcp", "phone-1"))
                .isEqualTo("113:17000000000004:c-016:edge-15:run-714:10.0.0.7:40000");
        assertThat(redis.command("HGET", "frontier:{e:edge-1}:conns", "c-01"))
                .isEqualTo("15:alice3:tcp7:phone-15:run-7");
    }

    @Test
    void userHash_expiresAfterEntryTtlRefreshedByEachConnect() {
        await(status.connected(tcp("alice", "d1").conn("c1").build()));
        long ttl = Long.parseLong(redis.command("PTTL", "frontier:{u:alice}:tcp"));
        assertThat(ttl).isBetween(Duration.ofHours(23).toMillis(), Duration.ofHours(24).toMillis());

        redis.command("PEXPIRE", "frontier:{u:alice}:tcp", "60000");
        await(status.connected(tcp("alice", "d1").conn("c1").build()));

        assertThat(Long.parseLong(redis.command("PTTL", "frontier:{u:alice}:tcp")))
                .isGreaterThan(Duration.ofHours(23).toMillis());
        // The sweep's purge removes indexes; they need no TTL of their own.
        assertThat(redis.command("PTTL", "frontier:{e:edge-1}:conns")).isEqualTo("-1");
    }

    @Test
    void entryTtl_comesFromTheConfiguration() {
        try (RedisUserStatus shortLived = RedisUserStatus.connect(
                REDIS.config(builder -> builder.entryTtl(Duration.ofMinutes(5))))) {
            await(shortLived.connected(tcp("alice", "d1").conn("c1").build()));
        }

        assertThat(Long.parseLong(redis.command("PTTL", "frontier:{u:alice}:tcp")))
                .isBetween(Duration.ofMinutes(4).toMillis(), Duration.ofMinutes(5).toMillis());
    }

    @Test
    void keyPrefix_comesFromTheConfiguration() {
        try (RedisUserStatus prefixed = RedisUserStatus.connect(REDIS.config(builder -> builder.keyPrefix("fx")))) {
            await(prefixed.connected(tcp("alice", "d1").conn("c1").build()));
            assertThat(await(status.devices("alice", Set.of()))).isEmpty();
        }

        assertThat(redis.command("EXISTS", "fx:{u:alice}:tcp")).isEqualTo("1");
    }

    @Test
    void staleIndexRecord_neverRemovesTheNewerEntryItPointsAt() {
        DeviceEntry moved = tcp("alice", "d1").conn("c-new").edge("edge-2", "run-1").at(200).build();
        await(status.connected(moved));
        // As if the record of an older connection on edge-1 had survived a failure.
        plantIndexRecord("edge-1", "c-old", tcp("alice", "d1").conn("c-old").edge("edge-1", "run-1").build());

        assertThat(await(status.edgeEntries("edge-1"))).isEmpty();
        assertThat(await(status.purgeEdge("edge-1", "run-1"))).isZero();
        assertThat(await(status.devices("alice", Set.of()))).containsExactly(moved);
        assertThat(redis.command("EXISTS", KEYS.edge("edge-1"))).isEqualTo("0");
        assertThat(await(status.knownEdges())).containsExactly("edge-2");
    }

    @Test
    void staleIndexRecord_isDroppedByReconcileWithoutCountingIt() {
        DeviceEntry kept = tcp("bob", "d1").conn("c-kept").build();
        await(status.connected(kept));
        plantIndexRecord("edge-1", "c-lost", tcp("alice", "d1").conn("c-lost").build());

        assertThat(await(status.reconcile("edge-1", "run-1", List.of(kept))))
                .isEqualTo(new ReconcileResult(0, 0, List.of()));
        assertThat(redis.command("HLEN", KEYS.edge("edge-1"))).isEqualTo("1");
    }

    @Test
    void connect_thatLoses_leavesNoIndexRecordOfTheLoser() {
        DeviceEntry first = tcp("alice", "d1").conn("c1").edge("edge-1", "run-1").at(100).build();
        DeviceEntry newer = tcp("alice", "d1").conn("c2").edge("edge-2", "run-1").at(200).build();
        DeviceEntry late = tcp("alice", "d1").conn("c0").edge("edge-3", "run-1").at(50).build();
        await(status.connected(first));

        await(status.connected(newer));
        await(status.connected(late));

        assertThat(redis.command("EXISTS", KEYS.edge("edge-1"))).isEqualTo("0");
        assertThat(redis.command("EXISTS", KEYS.edge("edge-3"))).isEqualTo("0");
        assertThat(redis.command("HLEN", KEYS.edge("edge-2"))).isEqualTo("1");
    }

    @Test
    void disconnect_ofOtherConnection_leavesTheIndexAlone() {
        await(status.connected(tcp("alice", "d1").conn("c1").build()));

        assertThat(await(status.disconnected("alice", CLIENT_TYPE_TCP, "d1", "c9"))).isFalse();
        assertThat(await(status.disconnected("alice", CLIENT_TYPE_WS, "d1", "c1"))).isFalse();

        assertThat(redis.command("HEXISTS", KEYS.edge("edge-1"), "c1")).isEqualTo("1");
    }

    @Test
    void corruptEntry_failsTheStageNamingIt() {
        redis.command("HSET", "frontier:{u:alice}:tcp", "d1", "not an entry");

        assertThat(status.devices("alice", Set.of()).toCompletableFuture())
                .failsWithin(Entries.AWAIT)
                .withThrowableThat()
                .havingRootCause()
                .isInstanceOf(IllegalStateException.class)
                .withMessageStartingWith("corrupt entry");
    }

    private void plantIndexRecord(String edgeId, String connId, DeviceEntry entry) {
        redis.command("HSET", KEYS.edge(edgeId), connId,
                new String(RedisEntryCodec.encodeIndex(entry), StandardCharsets.UTF_8));
        redis.command("SADD", KEYS.edges(), edgeId);
    }
}
