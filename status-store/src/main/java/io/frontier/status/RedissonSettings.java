package io.frontier.status;

import java.time.Duration;
import org.redisson.config.BaseConfig;
import org.redisson.config.BaseMasterSlaveServersConfig;
import org.redisson.config.Config;
import org.redisson.config.ConstantDelay;
import org.redisson.config.EqualJitterDelay;
import org.redisson.config.SingleServerConfig;

/**
 * The Redisson configuration of {@link RedisUserStatus}: where Redis is and how long it has, from
 * {@link RedisStatusConfig}, and the client's threads and connection pool, which are fixed here because
 * they follow from how the store uses Redis rather than from where it runs.
 *
 * <p>Redisson's defaults (32 Netty threads, 16 executor threads, 24 to 64 connections, 1 to 50 for
 * subscriptions) suit an application that blocks on many commands; this store sends its commands
 * asynchronously and never blocks, so it needs few threads, and a pool sized for what it has in flight.
 */
public final class RedissonSettings {

    /**
     * Commands in flight at most, one per pooled connection (Redisson holds a connection until the
     * command's reply, and a batch holds one): the device reads ({@link DeviceReads#BATCHES_IN_FLIGHT}
     * batches), the writes of EdgeLink (32 events in flight per edge) and a
     * purge or reconcile, which has about {@link RedisStatusConfig#batchSize()} updates in flight. Past the
     * pool, commands wait for a connection in Redisson's queue, in order, which is cheaper than a socket
     * each. Redisson's 64 ran out under a burst of pushes (BENCHMARKS.md, cluster push path).
     */
    static final int CONNECTIONS = 128;
    /** Connections opened before they are needed, so that a burst of events does not wait for handshakes. */
    static final int IDLE_CONNECTIONS = 16;
    /**
     * Redisson's Netty threads write the commands, read the replies and run the stages that follow them (a
     * push's call to its edge, EdgeLink's next update). Device reads are batched, so a few threads carry
     * them; with one per core (2 on the benchmark machine) a snapshot's burst of writes on a cold JVM had
     * commands not written within the command timeout, and Redisson's 32 measured no better than 8.
     */
    static final int NETTY_THREADS = 8;

    private RedissonSettings() {
    }

    /** Returns the configuration of a Redisson client for {@code config}; it connects lazily. */
    public static Config of(RedisStatusConfig config) {
        Config redisson = new Config();
        // Redis may be down when the control plane starts: calls fail until it is up, the start does not.
        redisson.setLazyInitialization(true);
        redisson.setPassword(config.password());
        redisson.setNettyThreads(NETTY_THREADS);
        // The executor runs topic listeners and remote services, none of which this store uses.
        redisson.setThreads(1);
        String[] addresses = config.addresses().toArray(String[]::new);
        switch (config.mode()) {
            case STANDALONE -> timeouts(pool(redisson.useSingleServer().setAddress(addresses[0])
                    .setDatabase(config.database())), config);
            case SENTINEL -> timeouts(pool(redisson.useSentinelServers().setMasterName(config.sentinelMaster())
                    .addSentinelAddress(addresses).setDatabase(config.database())), config);
            case CLUSTER -> timeouts(pool(redisson.useClusterServers().addNodeAddress(addresses)), config);
        }
        return redisson;
    }

    private static SingleServerConfig pool(SingleServerConfig server) {
        // No subscriptions: the store uses no topics, locks or other pub/sub.
        return server.setConnectionPoolSize(CONNECTIONS).setConnectionMinimumIdleSize(IDLE_CONNECTIONS)
                .setSubscriptionConnectionPoolSize(1).setSubscriptionConnectionMinimumIdleSize(0);
    }

    private static <T extends BaseMasterSlaveServersConfig<T>> T pool(T servers) {
        // Per node: each master (and replica) of a Cluster gets a pool of its own.
        return servers.setMasterConnectionPoolSize(CONNECTIONS).setMasterConnectionMinimumIdleSize(IDLE_CONNECTIONS)
                .setSlaveConnectionPoolSize(CONNECTIONS).setSlaveConnectionMinimumIdleSize(IDLE_CONNECTIONS)
                .setSubscriptionConnectionPoolSize(1).setSubscriptionConnectionMinimumIdleSize(0);
    }

    private static void timeouts(BaseConfig<?> servers, RedisStatusConfig config) {
        servers.setConnectTimeout(Math.toIntExact(config.connectTimeout().toMillis()))
                .setTimeout(Math.toIntExact(config.commandTimeout().toMillis()))
                .setRetryAttempts(config.retryAttempts())
                .setRetryDelay(new ConstantDelay(config.retryDelay()))
                // Back within a second of Redis, rather than Redisson's default of up to 10 s.
                .setReconnectionDelay(new EqualJitterDelay(Duration.ofMillis(100), Duration.ofSeconds(1)));
    }
}
