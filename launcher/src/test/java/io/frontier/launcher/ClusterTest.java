package io.frontier.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import io.frontier.api.v1.AdminServiceGrpc;
import io.frontier.api.v1.BroadcastReply;
import io.frontier.api.v1.BroadcastRequest;
import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.DeviceOutcome;
import io.frontier.api.v1.DeviceOutcome.Outcome;
import io.frontier.api.v1.DeviceTarget;
import io.frontier.api.v1.ListEdgesRequest;
import io.frontier.api.v1.PushReply;
import io.frontier.api.v1.PushRequest;
import io.frontier.api.v1.PushServiceGrpc;
import io.frontier.api.v1.UserTarget;
import io.frontier.control.push.PushLimits;
import io.frontier.device.TcpDeviceClient;
import io.frontier.discovery.DiscoveryConfig;
import io.frontier.launcher.cluster.ClusterControlPlane;
import io.frontier.launcher.cluster.ClusterEdge;
import io.frontier.launcher.cluster.ControlPlaneConfig;
import io.frontier.protocol.StatusCode;
import io.frontier.status.DeviceEntry;
import io.frontier.status.RedisUserStatus;
import io.frontier.testing.EtcdServer;
import io.frontier.testing.RedisServer;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Cluster mode against real redis-server and etcd: several control planes and edges,
 * each test in a namespace and key prefix of its own.
 */
class ClusterTest {
    private static final String SECRET = "cluster-secret-of-at-least-32-bytes!!";
    private static final Duration WAIT = TestCluster.WAIT;
    private static final Duration LEASE = TestCluster.LEASE;
    private static final Duration SWEEP = Duration.ofSeconds(1);

    private static RedisServer redis;
    private static EtcdServer etcd;

    private final List<ManagedChannel> channels = new ArrayList<>();
    private TestCluster cluster;
    private RedisUserStatus status;
    private Process external;

    @BeforeAll
    static void servers() {
        redis = new RedisServer().start();
        etcd = new EtcdServer().start();
    }

    @AfterAll
    static void stopServers() {
        redis.close();
        etcd.close();
    }

    @BeforeEach
    void namespace() {
        cluster = new TestCluster(redis, etcd, SECRET);
        status = cluster.status();
    }

    @AfterEach
    void stop() throws Exception {
        if (external != null) {
            external.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        channels.forEach(ManagedChannel::shutdownNow);
        cluster.close();
    }

    private DiscoveryConfig discovery() {
        return cluster.discovery();
    }

    private ClusterControlPlane controlPlane(String id) throws Exception {
        return cluster.add(ClusterControlPlane.start(new ControlPlaneConfig(id, "127.0.0.1",
                cluster.redis(), discovery(), PushLimits.DEFAULTS, null, null, SWEEP, 1_000_000, "test",
                TestCluster.CREDENTIALS)));
    }

    private ClusterEdge edge(String id) throws Exception {
        return cluster.edge(id);
    }

    private TcpDeviceClient device(InetSocketAddress edge, String user, String deviceId) {
        return cluster.device(edge, user, deviceId);
    }

    private PushServiceGrpc.PushServiceBlockingStub push(ClusterControlPlane cp) {
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", cp.grpcPort()).usePlaintext().build();
        channels.add(channel);
        return PushServiceGrpc.newBlockingStub(channel);
    }

    private static PushRequest toUser(String user) {
        return PushRequest.newBuilder().setUser(UserTarget.newBuilder().setUserId(user))
                .setPayload(ByteString.copyFromUtf8("hi " + user)).build();
    }

    private List<DeviceEntry> online(String user) {
        return cluster.online(user);
    }

    @Test
    void broadcastThroughOneControlPlane_reachesDevicesOnBothEdges_withOneResultPerEdge() throws Exception {
        ClusterControlPlane cp = controlPlane("cp-1");
        ClusterEdge e1 = edge("edge-1");
        ClusterEdge e2 = edge("edge-2");
        TcpDeviceClient alice = device(e1.edge().tcpAddress(), "alice", "phone");
        TcpDeviceClient bob = device(e2.edge().tcpAddress(), "bob", "phone");
        TcpDeviceClient carol = device(e2.edge().tcpAddress(), "carol", "phone");
        ManagedChannel channel = NettyChannelBuilder.forAddress("127.0.0.1", cp.grpcPort()).usePlaintext().build();
        channels.add(channel);
        AdminServiceGrpc.AdminServiceBlockingStub admin = AdminServiceGrpc.newBlockingStub(channel);
        // The control plane learns edges from etcd: a broadcast goes to those it knows.
        await().atMost(WAIT).until(() -> admin.withDeadlineAfter(5, TimeUnit.SECONDS)
                .listEdges(ListEdgesRequest.getDefaultInstance()).getEdgesCount() == 2);

        BroadcastReply reply = push(cp).withDeadlineAfter(10, TimeUnit.SECONDS)
                .broadcast(BroadcastRequest.newBuilder().setPayload(ByteString.copyFromUtf8("to everyone")).build());

        assertThat(reply.getResultsList()).extracting(BroadcastReply.EdgeResult::getEdgeId,
                        BroadcastReply.EdgeResult::getWritten, BroadcastReply.EdgeResult::getError)
                .containsExactly(org.assertj.core.groups.Tuple.tuple("edge-1", 1, ""),
                        org.assertj.core.groups.Tuple.tuple("edge-2", 2, ""));
        assertThat(reply.getEdges()).isEqualTo(2);
        assertThat(reply.getWritten()).isEqualTo(3);
        for (TcpDeviceClient device : List.of(alice, bob, carol)) {
            TcpDeviceClient.Push push = device.pushes().poll(10, TimeUnit.SECONDS);
            assertThat(push).as("the broadcast on " + device).isNotNull();
            assertThat(new String(push.payload(), StandardCharsets.UTF_8)).isEqualTo("to everyone");
        }
    }

    @Test
    void pushThroughEitherControlPlane_reachesDevicesOnEitherEdge() throws Exception {
        ClusterControlPlane cp1 = controlPlane("cp-1");
        ClusterControlPlane cp2 = controlPlane("cp-2");
        ClusterEdge e1 = edge("edge-1");
        ClusterEdge e2 = edge("edge-2");
        TcpDeviceClient alice = device(e1.edge().tcpAddress(), "alice", "phone");
        TcpDeviceClient bob = device(e2.edge().tcpAddress(), "bob", "phone");
        await().atMost(WAIT).until(() -> online("alice").size() == 1 && online("bob").size() == 1);

        for (ClusterControlPlane cp : List.of(cp1, cp2)) {
            PushReply toBob = push(cp).withDeadlineAfter(10, TimeUnit.SECONDS).push(toUser("bob"));
            assertThat(toBob.getOutcomesList()).extracting(DeviceOutcome::getEdgeId, DeviceOutcome::getOutcome)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("edge-2", Outcome.DELIVERED));
            PushReply toAlice = push(cp).withDeadlineAfter(10, TimeUnit.SECONDS).push(toUser("alice"));
            assertThat(toAlice.getOutcomesList()).extracting(DeviceOutcome::getEdgeId, DeviceOutcome::getOutcome)
                    .containsExactly(org.assertj.core.groups.Tuple.tuple("edge-1", Outcome.DELIVERED));
        }
        assertThat(new String(alice.pushes().poll(10, TimeUnit.SECONDS).payload())).isEqualTo("hi alice");
        assertThat(new String(bob.pushes().poll(10, TimeUnit.SECONDS).payload())).isEqualTo("hi bob");
    }

    @Test
    void deviceMovingBetweenEdges_keepsOneOnlineEntry_andTheOldConnectionGets409() throws Exception {
        controlPlane("cp-1");
        ClusterEdge e1 = edge("edge-1");
        ClusterEdge e2 = edge("edge-2");
        TcpDeviceClient before = device(e1.edge().tcpAddress(), "alice", "phone");
        await().atMost(WAIT).until(() -> online("alice").size() == 1);
        device(e2.edge().tcpAddress(), "alice", "phone");
        assertThat(before.byeReceived().orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join().getCode())
                .isEqualTo(StatusCode.REPLACED);
        // The old connection's late disconnect must not remove the new entry.
        await().atMost(WAIT).until(() -> e1.edge().registry().size() == 0);
        await().atMost(WAIT).until(() -> online("alice").size() == 1 && online("alice").get(0).edgeId().equals("edge-2"));
        assertThat(online("alice")).singleElement().satisfies(entry -> assertThat(entry.edgeId()).isEqualTo("edge-2"));
    }

    @Test
    void controlPlaneRestarted_statusConvergesToTheEdgesSnapshot() throws Exception {
        ClusterControlPlane cp = controlPlane("cp-1");
        ClusterEdge e1 = edge("edge-1");
        TcpDeviceClient leaves = device(e1.edge().tcpAddress(), "alice", "phone");
        device(e1.edge().tcpAddress(), "bob", "phone");
        await().atMost(WAIT).until(() -> online("alice").size() == 1 && online("bob").size() == 1);

        cluster.stop(cp);
        leaves.bye(StatusCode.OK, "bye");
        device(e1.edge().tcpAddress(), "carol", "tablet");
        status.connected(new DeviceEntry("ghost", ClientType.CLIENT_TYPE_TCP, "old", "conn-gone", "edge-1", "past",
                "10.0.0.1:1", 1)).toCompletableFuture().join();

        controlPlane("cp-1");
        await().atMost(WAIT).until(() -> online("alice").isEmpty() && online("bob").size() == 1
                && online("carol").size() == 1 && online("ghost").isEmpty());
    }

    @Test
    void edgeKilled_itsDevicesGoOfflineWithinTheLeaseAndASweep_andPushesSayOfflinePromptly() throws Exception {
        ClusterControlPlane cp = controlPlane("cp-1");
        int tcpPort = startExternalEdge("edge-k");
        device(new InetSocketAddress("127.0.0.1", tcpPort), "alice", "phone");
        await().atMost(WAIT).until(() -> online("alice").size() == 1);

        external.destroyForcibly();
        long killedAt = System.nanoTime();
        PushReply right = push(cp).withDeadlineAfter(10, TimeUnit.SECONDS).push(toUser("alice"));
        assertThat(right.getOutcomesList()).extracting(DeviceOutcome::getOutcome).containsExactly(Outcome.OFFLINE);
        assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).isLessThan(Duration.ofSeconds(5));

        await().atMost(WAIT).until(() -> online("alice").isEmpty());
        Duration gone = Duration.ofNanos(System.nanoTime() - killedAt);
        // Lease TTL plus one sweep, with room for a loaded machine.
        assertThat(gone).isLessThan(LEASE.plus(SWEEP).plus(SWEEP).plus(Duration.ofSeconds(5)));
    }

    @Test
    void redisDown_pushesFailFastWithUnavailable_andWorkAgainAfter() throws Exception {
        ClusterControlPlane cp = controlPlane("cp-1");
        ClusterEdge e1 = edge("edge-1");
        device(e1.edge().tcpAddress(), "alice", "phone");
        await().atMost(WAIT).until(() -> online("alice").size() == 1);

        redis.stop();
        try {
            long start = System.nanoTime();
            StatusRuntimeException failure = org.junit.jupiter.api.Assertions.assertThrows(StatusRuntimeException.class,
                    () -> push(cp).withDeadlineAfter(10, TimeUnit.SECONDS).push(toUser("alice")));
            assertThat(failure.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
        } finally {
            redis.start();
        }
        // Redis came back empty: the control plane notices and the edge sends its snapshot again.
        await().atMost(WAIT).until(() -> {
            try {
                return push(cp).withDeadlineAfter(5, TimeUnit.SECONDS).push(toUser("alice")).getOutcomesList().stream()
                        .anyMatch(o -> o.getOutcome() == Outcome.DELIVERED);
            } catch (StatusRuntimeException e) {
                return false;
            }
        });
    }

    @Test
    void etcdRestarted_nodesRegisterAgain_andPushesWork() throws Exception {
        ClusterControlPlane cp = controlPlane("cp-1");
        ClusterEdge e1 = edge("edge-1");
        device(e1.edge().tcpAddress(), "alice", "phone");
        await().atMost(WAIT).until(() -> online("alice").size() == 1);
        etcd.kill();
        etcd.deleteData();
        etcd.start();
        TcpDeviceClient bob = device(e1.edge().tcpAddress(), "bob", "phone");
        await().atMost(WAIT).until(() -> {
            try {
                return push(cp).withDeadlineAfter(5, TimeUnit.SECONDS).push(toUser("bob")).getOutcomesList().stream()
                        .anyMatch(o -> o.getOutcome() == Outcome.DELIVERED);
            } catch (StatusRuntimeException e) {
                return false;
            }
        });
        assertThat(new String(bob.pushes().poll(10, TimeUnit.SECONDS).payload())).isEqualTo("hi bob");
    }

    @Test
    void routePutInEtcd_reachesEdgesWithoutARestart() throws Exception {
        controlPlane("cp-1");
        ClusterEdge e1 = edge("edge-1");
        TcpDeviceClient phone = device(e1.edge().tcpAddress(), "alice", "phone");
        assertThat(phone.request(1001, "x".getBytes(), "").orTimeout(10, TimeUnit.SECONDS).join().getStatus())
                .isEqualTo(StatusCode.NOT_FOUND);
        try (io.frontier.example.ExampleBackend backend = io.frontier.example.ExampleBackend.start(0,
                new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
             io.frontier.discovery.EtcdDiscovery admin = io.frontier.discovery.EtcdDiscovery.connect(discovery())) {
            admin.putRoute(1001, "127.0.0.1:" + backend.port()).get(10, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> phone.request(1001, "routed".getBytes(), "").orTimeout(10, TimeUnit.SECONDS)
                    .join().getStatus() == StatusCode.OK);
            admin.deleteRoute(1001).get(10, TimeUnit.SECONDS);
            await().atMost(WAIT).until(() -> phone.request(1001, "x".getBytes(), "").orTimeout(10, TimeUnit.SECONDS)
                    .join().getStatus() == StatusCode.NOT_FOUND);
        }
    }

    @Test
    void pushToADeviceThatIsOffline_saysOffline() throws Exception {
        ClusterControlPlane cp = controlPlane("cp-1");
        edge("edge-1");
        PushReply reply = push(cp).withDeadlineAfter(10, TimeUnit.SECONDS).push(PushRequest.newBuilder()
                .setDevice(DeviceTarget.newBuilder().setUserId("nobody").setDeviceId("phone"))
                .setPayload(ByteString.copyFromUtf8("x")).build());
        assertThat(reply.getOutcomesList()).extracting(DeviceOutcome::getOutcome).containsExactly(Outcome.OFFLINE);
    }

    /** Starts an edge in a process of its own, so that it can be killed with SIGKILL; returns its TCP port. */
    private int startExternalEdge(String id) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder builder = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                "io.frontier.launcher.Main", "edge", "--edge-id", id, "--tcp-host", "127.0.0.1", "--tcp-port", "0",
                "--ws-host", "127.0.0.1", "--ws-port", "0", "--grpc-host", "127.0.0.1", "--grpc-port", "0",
                "--etcd", etcd.endpoint(), "--etcd-namespace", cluster.namespace(), "--lease-ttl", LEASE.toSeconds() + "s",
                "--metrics-port", "0");
        builder.environment().put("FRONTIER_JWT_SECRET", SECRET);
        builder.environment().put("FRONTIER_CLUSTER_TOKEN", TestCluster.CREDENTIALS.token());
        builder.redirectErrorStream(true);
        external = builder.start();
        Pattern running = Pattern.compile("Frontier edge \\S+ is running: TCP (\\d+)");
        BufferedReader out = new BufferedReader(new InputStreamReader(external.getInputStream(), StandardCharsets.UTF_8));
        StringBuilder seen = new StringBuilder();
        String line;
        while ((line = out.readLine()) != null) {
            seen.append(line).append('\n');
            Matcher m = running.matcher(line);
            if (m.find()) {
                Thread drain = new Thread(() -> out.lines().forEach(l -> { }), "external-edge-output");
                drain.setDaemon(true);
                drain.start();
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("the external edge did not start:\n" + seen);
    }
}
