package io.frontier.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.EdgeRecord;
import io.frontier.cli.DevTokens;
import io.frontier.control.link.EdgeLinkService;
import io.frontier.control.status.StatusUpdater;
import io.frontier.device.TcpDeviceClient;
import io.frontier.edge.EdgeConfig;
import io.frontier.edge.EdgeNode;
import io.frontier.edge.link.EdgeLinkClient;
import io.frontier.edge.link.EdgeLinkConfig;
import io.frontier.edge.session.DeferredListener;
import io.frontier.protocol.StatusCode;
import io.frontier.status.DeviceEntry;
import io.frontier.status.InMemoryUserStatus;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * EdgeLink between a real edge and control planes over the in-process transport: events
 * reach UserStatus, and after a break the edge's snapshot makes UserStatus converge.
 */
class EdgeLinkTest {
    private static final String SECRET = "edge-link-secret-of-at-least-32-bytes";
    private static final Duration WAIT = Duration.ofSeconds(15);

    private final InMemoryUserStatus status = new InMemoryUserStatus();
    private final LocalEdgeGateway edges = new LocalEdgeGateway();
    private final List<String> controlPlanes = new CopyOnWriteArrayList<>();
    private final Map<String, Server> servers = new ConcurrentHashMap<>();
    private final Map<String, ManagedChannel> channels = new ConcurrentHashMap<>();
    private EdgeNode edge;
    private EdgeLinkClient link;

    @BeforeEach
    void start() throws Exception {
        startControlPlane("cp-a");
        startControlPlane("cp-b");
        DeferredListener listener = new DeferredListener();
        edge = EdgeNode.start(EdgeConfig.builder().edgeId("edge-x").tcpHost("127.0.0.1").tcpPort(0)
                .wsHost("127.0.0.1").wsPort(0).jwtSecret(SECRET).ioThreads(1).build(), listener);
        edges.attach(edge, EdgeRecord.newBuilder().setEdgeId("edge-x").build());
        link = new EdgeLinkClient(new EdgeLinkConfig("edge-x", "life-1", "in-process", "test", 10_000, 64, 2,
                Duration.ofSeconds(1), Duration.ofMillis(20), Duration.ofMillis(200), Duration.ofSeconds(1)),
                edge, () -> List.copyOf(controlPlanes),
                name -> channels.computeIfAbsent(name, n -> InProcessChannelBuilder.forName(n).build()));
        listener.set(link);
        link.start();
        await().atMost(WAIT).until(link::isSynced);
    }

    private void startControlPlane(String name) throws Exception {
        EdgeLinkService service = new EdgeLinkService(new StatusUpdater(status, edges, null, Clock.systemUTC()), 1_000_000);
        servers.put(name, InProcessServerBuilder.forName(name).addService(service).build().start());
        controlPlanes.add(name);
    }

    private void stopControlPlane(String name) throws Exception {
        controlPlanes.remove(name);
        servers.remove(name).shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        link.close();
        edge.close();
        for (Server server : servers.values()) {
            server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        channels.values().forEach(ManagedChannel::shutdownNow);
        status.close();
    }

    private TcpDeviceClient device(String user, String deviceId) {
        TcpDeviceClient device = TcpDeviceClient.connect(edge.tcpAddress(), TcpDeviceClient.Options.DEFAULTS).join();
        device.hello(DevTokens.mint(SECRET, user, deviceId, Duration.ofHours(1), Clock.systemUTC()), deviceId, "")
                .orTimeout(10, TimeUnit.SECONDS).join();
        return device;
    }

    private List<String> online(String user) {
        return status.devices(user, Set.of()).toCompletableFuture().join().stream().map(DeviceEntry::deviceId).toList();
    }

    @Test
    void connectsAndDisconnects_reachUserStatus() {
        TcpDeviceClient phone = device("alice", "phone");
        await().atMost(WAIT).until(() -> online("alice").equals(List.of("phone")));
        phone.bye(StatusCode.OK, "bye");
        await().atMost(WAIT).until(() -> online("alice").isEmpty());
    }

    @Test
    void controlPlaneGone_edgeMovesToTheOther_andStatusConvergesToItsSnapshot() throws Exception {
        TcpDeviceClient stays = device("alice", "phone");
        TcpDeviceClient leaves = device("bob", "phone");
        await().atMost(WAIT).until(() -> online("alice").size() == 1 && online("bob").size() == 1);
        String first = link.target();

        stopControlPlane(first);
        // While no stream is up (or the next one is being set up), the store misses these events.
        leaves.bye(StatusCode.OK, "bye");
        TcpDeviceClient arrives = device("carol", "tablet");
        // A ghost from the edge's past, and an entry of another edge that must stay.
        status.connected(new DeviceEntry("ghost", ClientType.CLIENT_TYPE_TCP, "old", "conn-gone", "edge-x", "life-0",
                "10.0.0.1:1", 1)).toCompletableFuture().join();
        status.connected(new DeviceEntry("dave", ClientType.CLIENT_TYPE_TCP, "p", "conn-y", "edge-y", "life-9",
                "10.0.0.2:1", 1)).toCompletableFuture().join();

        // Restarting the first control plane breaks nothing; the edge stays on the other or comes back.
        startControlPlane(first);
        stopControlPlane(other(first));
        await().atMost(WAIT).until(() -> online("alice").equals(List.of("phone")) && online("bob").isEmpty()
                && online("carol").equals(List.of("tablet")) && online("ghost").isEmpty());
        assertThat(online("dave")).containsExactly("p");
        assertThat(stays.isActive()).isTrue();
        assertThat(arrives.isActive()).isTrue();
    }

    @Test
    void periodicSnapshot_healsDrift_withoutAnyReattach() {
        device("alice", "phone");
        await().atMost(WAIT).until(() -> online("alice").size() == 1);
        String target = link.target();
        status.connected(new DeviceEntry("ghost", ClientType.CLIENT_TYPE_TCP, "old", "conn-gone", "edge-x", "life-1",
                "10.0.0.1:1", 1)).toCompletableFuture().join();
        status.disconnected("alice", ClientType.CLIENT_TYPE_TCP, "phone",
                status.devices("alice", Set.of()).toCompletableFuture().join().get(0).connId()).toCompletableFuture().join();
        await().atMost(WAIT).until(() -> online("ghost").isEmpty() && online("alice").size() == 1);
        assertThat(link.target()).isEqualTo(target);
    }

    @Test
    void lateConnectedOfAnOlderConnection_isClosedWith409() throws Exception {
        TcpDeviceClient device = device("alice", "phone");
        await().atMost(WAIT).until(() -> online("alice").size() == 1);
        // A newer connection of the same device on another edge reaches the store first.
        status.connected(new DeviceEntry("alice", ClientType.CLIENT_TYPE_TCP, "phone", "conn-newer", "edge-y", "life-9",
                "10.0.0.2:1", System.currentTimeMillis() + 60_000)).toCompletableFuture().join();
        // Re-attaching re-sends the snapshot: the edge's connection is now the older one and is closed.
        stopControlPlane(link.target());
        assertThat(device.byeReceived().orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join().getCode())
                .isEqualTo(StatusCode.REPLACED);
    }

    private static String other(String name) {
        return name.equals("cp-a") ? "cp-b" : "cp-a";
    }
}
