package io.frontier.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontier.status.RedisStatusConfig.Mode;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.redisson.config.ClusterServersConfig;
import org.redisson.config.Config;
import org.redisson.config.SingleServerConfig;

class RedissonSettingsTest {

    @Test
    void standalone_sizesThePoolAndThreadsForAsynchronousCommands() {
        Config redisson = RedissonSettings.of(RedisStatusConfig.builder().address("redis://10.0.0.1:6380").database(2)
                .commandTimeout(Duration.ofMillis(250)).retryAttempts(2).build());

        SingleServerConfig server = redisson.useSingleServer();
        assertThat(server.getAddress()).isEqualTo("redis://10.0.0.1:6380");
        assertThat(server.getDatabase()).isEqualTo(2);
        assertThat(server.getTimeout()).isEqualTo(250);
        assertThat(server.getRetryAttempts()).isEqualTo(2);
        assertThat(server.getConnectionPoolSize()).isEqualTo(RedissonSettings.CONNECTIONS);
        assertThat(server.getConnectionMinimumIdleSize()).isEqualTo(RedissonSettings.IDLE_CONNECTIONS);
        assertThat(server.getSubscriptionConnectionPoolSize()).isEqualTo(1);
        assertThat(server.getSubscriptionConnectionMinimumIdleSize()).isZero();
        assertThat(redisson.getNettyThreads()).isEqualTo(RedissonSettings.NETTY_THREADS);
        assertThat(redisson.getThreads()).isEqualTo(1);
        assertThat(redisson.isLazyInitialization()).isTrue();
    }

    @Test
    void cluster_givesEachNodeThePool() {
        Config redisson = RedissonSettings.of(RedisStatusConfig.builder().mode(Mode.CLUSTER)
                .addresses(List.of("redis://10.0.0.1:7000", "redis://10.0.0.2:7000")).build());

        ClusterServersConfig servers = redisson.useClusterServers();
        assertThat(servers.getNodeAddresses()).containsExactly("redis://10.0.0.1:7000", "redis://10.0.0.2:7000");
        assertThat(servers.getMasterConnectionPoolSize()).isEqualTo(RedissonSettings.CONNECTIONS);
        assertThat(servers.getMasterConnectionMinimumIdleSize()).isEqualTo(RedissonSettings.IDLE_CONNECTIONS);
        assertThat(servers.getSlaveConnectionPoolSize()).isEqualTo(RedissonSettings.CONNECTIONS);
        assertThat(servers.getSubscriptionConnectionPoolSize()).isEqualTo(1);
        assertThat(servers.getSubscriptionConnectionMinimumIdleSize()).isZero();
    }
}
