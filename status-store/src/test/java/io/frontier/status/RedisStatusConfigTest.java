package io.frontier.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frontier.status.RedisStatusConfig.Mode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RedisStatusConfigTest {

    @Test
    void defaults_failFastAndKeepEntriesADay() {
        RedisStatusConfig config = RedisStatusConfig.builder().build();

        assertThat(config.mode()).isEqualTo(Mode.STANDALONE);
        assertThat(config.addresses()).containsExactly("redis://127.0.0.1:6379");
        assertThat(config.sentinelMaster()).isNull();
        assertThat(config.password()).isNull();
        assertThat(config.database()).isZero();
        assertThat(config.connectTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.commandTimeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.retryAttempts()).isEqualTo(1);
        assertThat(config.retryDelay()).isEqualTo(Duration.ofMillis(100));
        assertThat(config.keyPrefix()).isEqualTo("frontier");
        assertThat(config.entryTtl()).isEqualTo(Duration.ofHours(24));
        assertThat(config.batchSize()).isEqualTo(256);
    }

    @Test
    void sentinel_withMasterAndSeveralSentinels_builds() {
        RedisStatusConfig config = RedisStatusConfig.builder().mode(Mode.SENTINEL).sentinelMaster("mymaster")
                .addresses(List.of("redis://10.0.0.1:26379", "redis://10.0.0.2:26379")).database(3)
                .password("secret").build();

        assertThat(config.sentinelMaster()).isEqualTo("mymaster");
        assertThat(config.addresses()).hasSize(2);
        assertThat(config.toString()).contains("password=****").doesNotContain("secret");
    }

    @Test
    void cluster_withSeveralNodes_builds() {
        RedisStatusConfig config = RedisStatusConfig.builder().mode(Mode.CLUSTER)
                .addresses(List.of("redis://10.0.0.1:6379", "rediss://10.0.0.2:6380")).build();

        assertThat(config.addresses()).containsExactly("redis://10.0.0.1:6379", "rediss://10.0.0.2:6380");
    }

    @Test
    void addresses_areCopied() {
        List<String> addresses = new java.util.ArrayList<>(List.of("redis://10.0.0.1:6379"));
        RedisStatusConfig.Builder builder = RedisStatusConfig.builder().addresses(addresses);
        addresses.set(0, "nonsense");

        assertThat(builder.build().addresses()).containsExactly("redis://10.0.0.1:6379");
    }

    @ParameterizedTest
    @ValueSource(strings = {"127.0.0.1:6379", "http://h:1", "redis://h", "redis://h:0", "redis://h:70000",
            "redis://user:pw@h:1", "redis://h:1/2", "redis://:1"})
    void address_notRedisHostPort_isRejected(String address) {
        assertThatThrownBy(() -> RedisStatusConfig.builder().address(address).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("addresses: " + address + " (expected: redis://host:port or rediss://host:port)");
    }

    @Test
    void standalone_withTwoAddresses_isRejected() {
        assertThatThrownBy(() -> RedisStatusConfig.builder()
                .addresses(List.of("redis://a:1", "redis://b:1")).build())
                .hasMessage("addresses: [redis://a:1, redis://b:1] (expected: exactly one address in standalone mode)");
    }

    @Test
    void noAddress_isRejected() {
        assertThatThrownBy(() -> RedisStatusConfig.builder().addresses(List.of()).build())
                .hasMessage("addresses: [] (expected: at least one redis://host:port)");
    }

    @Test
    void sentinel_withoutMaster_isRejected() {
        assertThatThrownBy(() -> RedisStatusConfig.builder().mode(Mode.SENTINEL).build())
                .hasMessage("sentinelMaster: null (expected: the master name, in sentinel mode)");
    }

    @Test
    void master_outsideSentinel_isRejected() {
        assertThatThrownBy(() -> RedisStatusConfig.builder().sentinelMaster("m").build())
                .hasMessage("sentinelMaster: m (expected: none outside sentinel mode)");
    }

    @Test
    void database_inCluster_mustBeZero() {
        assertThatThrownBy(() -> RedisStatusConfig.builder().mode(Mode.CLUSTER).database(1).build())
                .hasMessage("database: 1 (expected: 0 in cluster mode)");
        assertThatThrownBy(() -> RedisStatusConfig.builder().database(16).build())
                .hasMessage("database: 16 (expected: 0 to 15)");
    }

    @Test
    void timeouts_outOfRange_areRejected() {
        assertThatThrownBy(() -> RedisStatusConfig.builder().connectTimeout(Duration.ZERO).build())
                .hasMessage("connectTimeout: PT0S (expected: PT0.01S to PT1M)");
        assertThatThrownBy(() -> RedisStatusConfig.builder().commandTimeout(null).build())
                .hasMessage("commandTimeout: null (expected: PT0.01S to PT1M)");
        assertThatThrownBy(() -> RedisStatusConfig.builder().retryDelay(Duration.ofSeconds(-1)).build())
                .hasMessage("retryDelay: PT-1S (expected: PT0S to PT10S)");
        assertThatThrownBy(() -> RedisStatusConfig.builder().retryAttempts(11).build())
                .hasMessage("retryAttempts: 11 (expected: 0 to 10)");
    }

    @Test
    void keyPrefix_withBraceOrSpace_isRejected() {
        assertThatThrownBy(() -> RedisStatusConfig.builder().keyPrefix("a{b}").build())
                .hasMessage("keyPrefix: a{b} (expected: 1 to 64 of letters, digits, _ - . :)");
        assertThatThrownBy(() -> RedisStatusConfig.builder().keyPrefix("").build())
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void entryTtlAndBatchSize_outOfRange_areRejected() {
        assertThatThrownBy(() -> RedisStatusConfig.builder().entryTtl(Duration.ofMillis(999)).build())
                .hasMessage("entryTtl: PT0.999S (expected: >= PT1S)");
        assertThatThrownBy(() -> RedisStatusConfig.builder().batchSize(0).build())
                .hasMessage("batchSize: 0 (expected: 1 to 10000)");
    }

    @Test
    void emptyPassword_isRejected() {
        assertThatThrownBy(() -> RedisStatusConfig.builder().password("").build())
                .hasMessage("password: \"\" (expected: null for none, or non-empty)");
    }

    @Test
    void nullMode_isRejected() {
        assertThatThrownBy(() -> RedisStatusConfig.builder().mode(null).build())
                .hasMessage("mode: null (expected: standalone, sentinel or cluster)");
    }
}
