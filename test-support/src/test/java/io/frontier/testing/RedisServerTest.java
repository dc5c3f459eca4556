package io.frontier.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RedisServerTest {

    @Test
    void start_answersPingOnLoopbackAndCommandsWork() {
        try (RedisServer redis = new RedisServer().start()) {
            assertThat(redis.port()).isPositive();
            assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
            assertThat(redis.command("PING")).isEqualTo("PONG");
            assertThat(redis.command("SET", "k", "v")).isEqualTo("OK");
            assertThat(redis.command("GET", "k")).isEqualTo("v");
            assertThat(redis.command("INFO", "persistence")).contains("aof_enabled:0");
        }
    }

    @Test
    void killThenStart_comesBackOnSamePortWithNoData() {
        try (RedisServer redis = new RedisServer().start()) {
            int port = redis.port();
            redis.command("SET", "k", "v");

            redis.kill();
            assertThat(redis.isRunning()).isFalse();
            assertThat(RedisProtocol.answersPing(port)).isFalse();
            redis.start();

            assertThat(redis.port()).isEqualTo(port);
            assertThat(redis.command("GET", "k")).isNull();
        }
    }

    @Test
    void stopThenStart_comesBackOnSamePort() {
        try (RedisServer redis = new RedisServer().start()) {
            int port = redis.port();

            redis.stop();
            redis.stop();
            redis.start();

            assertThat(redis.port()).isEqualTo(port);
            assertThat(redis.command("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void freeze_stopsAnsweringUntilThawed() {
        try (RedisServer redis = new RedisServer().start()) {
            redis.freeze();
            assertThat(RedisProtocol.answersPing(redis.port())).isFalse();

            redis.thaw();
            assertThat(redis.command("PING")).isEqualTo("PONG");
        }
    }

    @Test
    void close_ofFrozenServer_endsIt() {
        RedisServer redis = new RedisServer().start();
        redis.freeze();

        redis.close();

        assertThat(redis.isRunning()).isFalse();
    }

    @Test
    void start_whileRunning_throws() {
        try (RedisServer redis = new RedisServer().start()) {
            assertThatThrownBy(redis::start)
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageEndingWith("is already running");
        }
    }

    @Test
    void command_withErrorReply_throwsWithRedisMessage() {
        try (RedisServer redis = new RedisServer().start()) {
            assertThatThrownBy(() -> redis.command("NO-SUCH-COMMAND"))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("ERR unknown command");
        }
    }

    @Test
    void findExecutable_whenMissing_throwsTheGivenMessage() {
        assertThatThrownBy(() -> RedisProtocol.findExecutable("frontier-no-such-binary", "install it"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("install it");
    }

    @Test
    void cluster_formsWithEverySlotCovered() {
        try (RedisCluster cluster = RedisCluster.start(3)) {
            assertThat(cluster.uris()).hasSize(3);
            for (RedisServer node : cluster.nodes()) {
                assertThat(node.command("CLUSTER", "INFO"))
                        .contains("cluster_state:ok", "cluster_slots_assigned:16384");
            }
        }
    }
}
