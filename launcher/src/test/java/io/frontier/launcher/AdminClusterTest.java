package io.frontier.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.frontier.control.access.ApiAccess;
import io.frontier.control.push.PushLimits;
import io.frontier.device.TcpDeviceClient;
import io.frontier.launcher.cluster.ClusterControlPlane;
import io.frontier.launcher.cluster.ClusterEdge;
import io.frontier.launcher.cluster.ControlPlaneConfig;
import io.frontier.protocol.StatusCode;
import io.frontier.status.DeviceEntry;
import io.frontier.testing.EtcdServer;
import io.frontier.testing.RedisServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The admin commands of {@code frontier ctl} against a cluster: real redis-server and
 * etcd, one control plane with tokens, two edges, real TCP devices.
 */
class AdminClusterTest {
    private static final String SECRET = "admin-cluster-secret-of-at-least-32-bytes";
    private static final String ADMIN_TOKEN = "cluster-admin-token";
    private static final Duration WAIT = TestCluster.WAIT;

    private static RedisServer redis;
    private static EtcdServer etcd;

    private TestCluster cluster;
    private ClusterControlPlane controlPlane;
    private ClusterEdge edge1;
    private ClusterEdge edge2;

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
    void start() throws Exception {
        cluster = new TestCluster(redis, etcd, SECRET);
        controlPlane = cluster.add(ClusterControlPlane.start(new ControlPlaneConfig("cp-1", "127.0.0.1", 0, "127.0.0.1", 0,
                "127.0.0.1", cluster.redis(), cluster.discovery(), PushLimits.DEFAULTS, null, null, Duration.ofSeconds(1),
                ControlPlaneConfig.DEFAULT_REBUILD_TIMEOUT, 1_000_000,
                "test", new ApiAccess(ADMIN_TOKEN, "cluster-push-token"), TestCluster.CREDENTIALS)));
        edge1 = cluster.edge("edge-1");
        edge2 = cluster.edge("edge-2");
        await().atMost(WAIT).until(() -> controlPlane.attachedEdges().containsAll(Set.of("edge-1", "edge-2")));
        await().atMost(WAIT).until(() -> ctl("edges").out().contains("edge-2"));
    }

    @AfterEach
    void stop() throws Exception {
        cluster.close();
    }

    private TcpDeviceClient device(ClusterEdge edge, String user, String deviceId) {
        return cluster.device(edge.edge().tcpAddress(), user, deviceId);
    }

    private List<DeviceEntry> online(String user) {
        return cluster.online(user);
    }

    private CtlRun ctl(String... args) {
        String[] full = new String[args.length + 2];
        full[0] = "ctl";
        System.arraycopy(args, 0, full, 1, args.length);
        full[full.length - 1] = "--target=127.0.0.1:" + controlPlane.grpcPort();
        return CtlRun.run(Map.of("FRONTIER_ADMIN_TOKEN", ADMIN_TOKEN), full);
    }

    @Test
    void userConnsAndEdges_seeDevicesOnEveryEdge() {
        device(edge1, "alice", "phone");
        device(edge2, "alice", "tablet");
        device(edge2, "bob", "phone");
        await().atMost(WAIT).until(() -> online("alice").size() == 2 && online("bob").size() == 1);

        CtlRun user = ctl("user", "alice");
        assertThat(user.exitCode()).as(user.toString()).isZero();
        assertThat(user.out()).containsPattern("tcp\\s+phone\\s+\\w+\\s+edge-1").containsPattern("tcp\\s+tablet\\s+\\w+\\s+edge-2");
        // Last activity comes from the edges themselves.
        assertThat(user.out().lines().filter(l -> l.endsWith(" ago")).count()).isEqualTo(2);

        CtlRun conns = ctl("conns", "edge-2");
        assertThat(conns.exitCode()).as(conns.toString()).isZero();
        assertThat(conns.out()).contains("alice", "bob", "edge-2: 2 connections (tcp 2, ws 0)").doesNotContain("phone  edge-1");

        CtlRun edges = ctl("edges");
        assertThat(edges.out()).containsPattern("edge-1\\s+active\\s+1\\s+1\\s+0\\s+\\d+s\\s+test\\s+127\\.0\\.0\\.1:\\d+")
                .containsPattern("edge-2\\s+active\\s+2\\s+2\\s+0");
        assertThat(ctl("conns", "edge-3").exitCode()).isEqualTo(1);
    }

    @Test
    void kick_closesTheDeviceOnItsEdgeWith410_andUserStatusFollows() {
        TcpDeviceClient phone = device(edge1, "alice", "phone");
        TcpDeviceClient tablet = device(edge2, "alice", "tablet");
        await().atMost(WAIT).until(() -> online("alice").size() == 2);

        CtlRun kick = ctl("kick", "--user", "alice", "--device", "tablet");
        assertThat(kick.exitCode()).as(kick.toString()).isZero();
        assertThat(kick.out()).containsPattern("kicked\\s+alice\\s+tablet\\s+tcp\\s+\\w+\\s+edge-2");
        assertThat(tablet.byeReceived().orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join().getCode())
                .isEqualTo(StatusCode.KICKED);
        await().atMost(WAIT).until(() -> online("alice").size() == 1);
        assertThat(phone.isActive()).isTrue();

        assertThat(ctl("kick", "--user", "alice").exitCode()).isZero();
        assertThat(phone.byeReceived().orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join().getCode())
                .isEqualTo(StatusCode.KICKED);
        await().atMost(WAIT).until(() -> online("alice").isEmpty());
        assertThat(ctl("user", "alice").exitCode()).isEqualTo(1);
    }

    @Test
    void drain_emptiesOneEdge_devicesComeBackToTheOther_andUndrainReopensIt() {
        TcpDeviceClient a = device(edge1, "alice", "phone");
        TcpDeviceClient b = device(edge1, "bob", "phone");
        device(edge2, "carol", "phone");
        await().atMost(WAIT).until(() -> online("alice").size() == 1 && online("bob").size() == 1);

        CtlRun drain = ctl("drain", "edge-1", "--window", "1s");
        assertThat(drain.exitCode()).as(drain.toString()).isZero();
        for (TcpDeviceClient device : List.of(a, b)) {
            assertThat(device.byeReceived().orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join().getCode())
                    .isEqualTo(StatusCode.DRAINING);
        }
        await().atMost(WAIT).until(() -> online("alice").isEmpty() && online("bob").isEmpty());
        assertThat(ctl("edges").out()).containsPattern("edge-1\\s+draining\\s+0").containsPattern("edge-2\\s+active\\s+1");
        TcpDeviceClient refused = cluster.connect(edge1.edge().tcpAddress());
        assertThat(refused.byeReceived().orTimeout(WAIT.toMillis(), TimeUnit.MILLISECONDS).join().getCode())
                .isEqualTo(StatusCode.DRAINING);

        // The devices reconnect elsewhere.
        device(edge2, "alice", "phone");
        await().atMost(WAIT).until(() -> online("alice").size() == 1 && online("alice").get(0).edgeId().equals("edge-2"));

        assertThat(ctl("undrain", "edge-1").out()).contains("edge-1 accepts devices again");
        device(edge1, "bob", "phone");
        await().atMost(WAIT).until(() -> online("bob").size() == 1);
        assertThat(ctl("edges").out()).containsPattern("edge-1\\s+active\\s+1");
    }

    @Test
    void routes_setInEtcd_reachEveryEdge_andDeleteRemovesThem() {
        CtlRun set = ctl("routes", "set", "1001", "localhost:7100,timeout=2s");
        assertThat(set.exitCode()).as(set.toString()).isZero();
        await().atMost(WAIT).until(() -> edge1.edge().routes().backend(1001) != null && edge2.edge().routes().backend(1001) != null);
        assertThat(ctl("routes").out()).containsPattern("1001\\s+localhost:7100,timeout=2s");

        assertThat(ctl("routes", "delete", "1001").exitCode()).isZero();
        await().atMost(WAIT).until(() -> edge1.edge().routes().backend(1001) == null && edge2.edge().routes().backend(1001) == null);
        assertThat(ctl("routes").out()).contains("no routes");
        assertThat(ctl("routes", "delete", "1001").exitCode()).isEqualTo(1);
    }

    @Test
    void callsWithoutTheToken_areRefused() {
        CtlRun refused = CtlRun.run(Map.of(), "ctl", "edges", "--target=127.0.0.1:" + controlPlane.grpcPort());
        assertThat(refused.exitCode()).isEqualTo(4);
        assertThat(refused.err()).contains("UNAUTHENTICATED", "FRONTIER_ADMIN_TOKEN");
        CtlRun push = CtlRun.run(Map.of("FRONTIER_PUSH_TOKEN", ADMIN_TOKEN), "ctl", "push", "--user", "alice", "--text", "hi",
                "--target=127.0.0.1:" + controlPlane.grpcPort());
        assertThat(push.exitCode()).isEqualTo(4);
    }
}
