package io.frontier.launcher;

import static org.awaitility.Awaitility.await;

import io.frontier.cli.DevTokens;
import io.frontier.device.TcpDeviceClient;
import io.frontier.discovery.DiscoveryConfig;
import io.frontier.edge.EdgeConfig;
import io.frontier.launcher.cluster.ClusterEdge;
import io.frontier.launcher.cluster.ClusterCredentials;
import io.frontier.launcher.cluster.EdgeNodeConfig;
import io.frontier.status.DeviceEntry;
import io.frontier.status.RedisStatusConfig;
import io.frontier.status.RedisUserStatus;
import io.frontier.testing.EtcdServer;
import io.frontier.testing.RedisServer;
import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One test's cluster on shared redis-server and etcd processes: an etcd namespace and a
 * Redis key prefix of its own, the nodes and devices it started (closed in reverse), and
 * a view of UserStatus for assertions.
 */
final class TestCluster implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(20);
    static final Duration LEASE = Duration.ofSeconds(2);
    /** What the nodes of test clusters prove to each other: the secure setup is the one tested. */
    static final ClusterCredentials CREDENTIALS = ClusterCredentials.token("test-cluster-token");
    private static final AtomicInteger SPACES = new AtomicInteger();

    private final RedisServer redis;
    private final EtcdServer etcd;
    private final String secret;
    private final String namespace;
    private final String keyPrefix;
    private final RedisUserStatus status;
    private final List<AutoCloseable> nodes = new ArrayList<>();
    private final List<TcpDeviceClient> devices = new ArrayList<>();

    TestCluster(RedisServer redis, EtcdServer etcd, String secret) {
        this.redis = redis;
        this.etcd = etcd;
        this.secret = secret;
        int n = SPACES.incrementAndGet();
        this.namespace = "/frontier-test-" + n;
        this.keyPrefix = "t" + n;
        this.status = RedisUserStatus.connect(redis());
    }

    String namespace() {
        return namespace;
    }

    RedisUserStatus status() {
        return status;
    }

    RedisStatusConfig redis() {
        return RedisStatusConfig.builder().address(redis.uri()).keyPrefix(keyPrefix).build();
    }

    DiscoveryConfig discovery() {
        return DiscoveryConfig.builder(List.of(etcd.endpoint())).namespace(namespace).leaseTtl(LEASE)
                .backoff(Duration.ofMillis(50), Duration.ofMillis(500)).build();
    }

    /** Records a node to close at the end, after those started later. */
    <T extends AutoCloseable> T add(T node) {
        nodes.add(node);
        return node;
    }

    /** Closes a node now, as a test that stops one does. */
    void stop(AutoCloseable node) throws Exception {
        nodes.remove(node);
        node.close();
    }

    /** Starts an edge on free ports and waits until its snapshot is applied. */
    ClusterEdge edge(String id) throws Exception {
        ClusterEdge edge = add(ClusterEdge.start(new EdgeNodeConfig(EdgeConfig.builder().edgeId(id)
                .tcpHost("127.0.0.1").tcpPort(0).wsHost("127.0.0.1").wsPort(0).jwtSecret(secret).ioThreads(1).build(),
                "127.0.0.1", 0, "127.0.0.1", discovery(), "test", CREDENTIALS)));
        await().atMost(WAIT).until(edge::synced);
        return edge;
    }

    /** Connects a device and says Hello with a token of {@code user} and {@code deviceId}. */
    TcpDeviceClient device(InetSocketAddress edge, String user, String deviceId) {
        TcpDeviceClient device = connect(edge);
        device.hello(DevTokens.mint(secret, user, deviceId, Duration.ofHours(1), Clock.systemUTC()), deviceId, "")
                .orTimeout(10, TimeUnit.SECONDS).join();
        return device;
    }

    /** Connects a device that has not said Hello. */
    TcpDeviceClient connect(InetSocketAddress edge) {
        TcpDeviceClient device = TcpDeviceClient.connect(edge, TcpDeviceClient.Options.DEFAULTS).join();
        devices.add(device);
        return device;
    }

    List<DeviceEntry> online(String user) {
        return status.devices(user, Set.of()).toCompletableFuture().join();
    }

    @Override
    public void close() throws Exception {
        devices.forEach(TcpDeviceClient::close);
        for (int i = nodes.size() - 1; i >= 0; i--) {
            nodes.get(i).close();
        }
        status.close();
    }
}
