package io.frontier.acceptance;

import static io.frontier.acceptance.RawTcpDevice.ACK;
import static io.frontier.acceptance.RawTcpDevice.PUSH;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.frontier.acceptance.LocalCluster.Node;
import io.frontier.acceptance.RawTcpDevice.Frame;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A cluster of real processes (redis-server, etcd, two control planes and two edges from the distribution)
 * driven from outside: raw-socket devices, {@code bin/frontier ctl}, and a Node gRPC caller.
 */
class ClusterIT {
    private static LocalCluster cluster;

    @BeforeAll
    static void start() {
        cluster = LocalCluster.start(2, 2);
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static RawTcpDevice online(Node edge, String user, String device) {
        return RawTcpDevice.online(edge.tcpPort(), cluster.token(user, device), device);
    }

    private static Node otherControlPlane(Node cp) {
        return cluster.controlPlane(0) == cp ? cluster.controlPlane(1) : cluster.controlPlane(0);
    }

    @Test
    void pushThroughOneControlPlane_reachesADeviceOnTheOtherControlPlanesEdge_andIsAcked() {
        for (int e = 0; e < 2; e++) {
            Node edge = cluster.edge(e);
            String user = "cl-alice-" + e;
            try (RawTcpDevice device = online(edge, user, "phone-1")) {
                Node through = otherControlPlane(cluster.controlPlaneOf(edge));
                CompletableFuture<Ctl.Result> push = CompletableFuture.supplyAsync(() -> cluster.ctl("push",
                        "--target", through.grpcTarget(), "--user", user, "--text", "across", "--wait-ack"));
                Frame frame = device.next();
                assertThat(frame.cmd()).isEqualTo(PUSH);
                assertThat(frame.text()).isEqualTo("across");
                device.send(ACK, frame.seq(), new byte[0]);
                Ctl.Result result = push.join();
                assertThat(result.exit()).as("%s", result).isZero();
                assertThat(result.out()).containsPattern(user + "\\s+phone-1\\s+tcp\\s+\\S+\\s+acknowledged");
            }
        }
    }

    @Test
    void everyNodeIsReady_aDrainedEdgeIsNot_untilUndrained() throws Exception {
        Duration wait = Duration.ofSeconds(30);
        for (Node node : List.of(cluster.controlPlane(0), cluster.controlPlane(1), cluster.edge(0), cluster.edge(1))) {
            Awaitility.await().atMost(wait).until(() -> Http.get(node.healthPort(), "/readyz").equals("200 ready\n"));
        }
        Node edge = cluster.edge(1);
        String id = "edge-2";
        Ctl.Result drain = cluster.ctl("drain", "--target", cluster.controlPlane(0).grpcTarget(), id, "--window", "0s");
        assertThat(drain.exit()).as("%s", drain).isZero();
        try {
            Awaitility.await().atMost(wait).until(() -> Http.get(edge.healthPort(), "/readyz").equals("503 draining\n"));
            assertThat(Http.get(cluster.edge(0).healthPort(), "/readyz")).isEqualTo("200 ready\n");
        } finally {
            assertThat(cluster.ctl("undrain", "--target", cluster.controlPlane(0).grpcTarget(), id).exit()).isZero();
        }
        Awaitility.await().atMost(wait).until(() -> Http.get(edge.healthPort(), "/readyz").equals("200 ready\n"));
    }

    @Test
    void everyNodeServesItsMetrics_aPushThroughTheClusterMovesTheCountersOfEachNodeOnItsPath() throws Exception {
        Duration wait = Duration.ofSeconds(30);
        for (Node edge : List.of(cluster.edge(0), cluster.edge(1))) {
            Awaitility.await().atMost(wait).untilAsserted(() -> {
                Metrics metrics = Metrics.scrape(edge.healthPort());
                assertThat(metrics.value("frontier_edge_link_synced")).as("%s", metrics).isEqualTo(1);
                assertThat(metrics.value("frontier_edge_link_lag_seconds")).isZero();
                assertThat(metrics.has("jvm_memory_used_bytes")).isTrue();
            });
        }
        String cp = cluster.controlPlane(0).grpcTarget();
        Metrics before = Metrics.scrape(cluster.controlPlane(0).healthPort());
        assertThat(before.value("frontier_control_edges")).as("%s", before).isGreaterThanOrEqualTo(2);
        try (RawTcpDevice device = online(cluster.edge(0), "cl-metrics", "phone-1").autoAck()) {
            Awaitility.await("cl-metrics online").atMost(Duration.ofSeconds(20))
                    .until(() -> cluster.ctl("user", "--target", cp, "cl-metrics").exit() == 0);
            Ctl.Result push = cluster.ctl("push", "--target", cp, "--user", "cl-metrics", "--text", "m", "--wait-ack");
            assertThat(push.exit()).as("%s", push).isZero();
        }
        Metrics after = Metrics.scrape(cluster.controlPlane(0).healthPort());
        assertThat(after.value("frontier_push_outcomes_total{outcome=\"acknowledged\"}")
                - before.value("frontier_push_outcomes_total{outcome=\"acknowledged\"}")).as("%s", after).isEqualTo(1);
        assertThat(after.value("frontier_control_edge_calls_total{call=\"deliver\",edge=\"edge-1\",result=\"ok\"}")
                - before.value("frontier_control_edge_calls_total{call=\"deliver\",edge=\"edge-1\",result=\"ok\"}"))
                .isEqualTo(1);
        assertThat(after.value("frontier_status_store_seconds_count{operation=\"devices\"}"))
                .isGreaterThan(before.value("frontier_status_store_seconds_count{operation=\"devices\"}"));
        Metrics edge = Metrics.scrape(cluster.edge(0).healthPort());
        assertThat(edge.value("frontier_edge_pushes_total{result=\"acknowledged\"}")).as("%s", edge)
                .isGreaterThanOrEqualTo(1);
    }

    @Test
    void sigkilledEdge_itsDevicesLeaveUserStatusWithinLeaseTtlPlusOneSweep() {
        Node edge = cluster.addEdge("edge-doomed");
        String cp = cluster.controlPlane(0).grpcTarget();
        try (RawTcpDevice device = online(edge, "cl-bob", "phone-1")) {
            Awaitility.await("cl-bob online").atMost(Duration.ofSeconds(20))
                    .until(() -> cluster.ctl("user", "--target", cp, "cl-bob").exit() == 0);
            long killed = System.nanoTime();
            edge.process().kill();
            Awaitility.await("cl-bob offline").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> cluster.ctl("user", "--target", cp, "cl-bob").exit() == 1);
            Duration took = Duration.ofNanos(System.nanoTime() - killed);
            // one ctl run (a JVM start) of slack on top of the bound
            assertThat(took).as("offline after the SIGKILL")
                    .isLessThan(LocalCluster.LEASE_TTL.plus(LocalCluster.SWEEP).plusSeconds(3));
            Ctl.Result push = cluster.ctl("push", "--target", cp, "--user", "cl-bob", "--text", "late");
            assertThat(push.exit()).as("%s", push).isEqualTo(1);
            assertThat(push.out() + push.err()).contains("no online device");
        }
    }

    @Test
    void controlPlaneSigkilledUnderAStreamOfPushes_nothingReportedDeliveredWasLost() {
        Node spare = cluster.addControlPlane("cp-spare");
        Node edge = cluster.addEdge("edge-stream");
        try (RawTcpDevice device = online(edge, "cl-carol", "phone-1").autoAck()) {
            Awaitility.await("cl-carol online").atMost(Duration.ofSeconds(20)).until(
                    () -> cluster.ctl("user", "--target", spare.grpcTarget(), "cl-carol").exit() == 0);
            try (GrpcTool stream = GrpcTool.pushStream("cl-carol", 600, 10, spare.grpcTarget(),
                    cluster.controlPlane(0).grpcTarget())) {
                stream.awaitOutput("\"i\":100,", Duration.ofSeconds(60));
                spare.process().kill();
                stream.awaitOutput("\"event\":\"done\"", Duration.ofSeconds(120));

                List<String> delivered = new ArrayList<>();
                int failedThroughTheKilled = 0;
                int deliveredAfterTheKill = 0;
                for (JsonObject push : stream.events("push")) {
                    int i = push.get("i").getAsInt();
                    if (push.get("code").getAsInt() != 0) {
                        failedThroughTheKilled += push.get("target").getAsString().equals(spare.grpcTarget()) ? 1 : 0;
                        continue;
                    }
                    for (JsonElement outcome : push.getAsJsonArray("outcomes")) {
                        if (outcome.getAsJsonObject().get("outcome").getAsString().equals("DELIVERED")) {
                            delivered.add("m-" + i);
                            deliveredAfterTheKill += i > 300 ? 1 : 0;
                        }
                    }
                }
                assertThat(failedThroughTheKilled).as("pushes through the killed control plane fail").isPositive();
                assertThat(deliveredAfterTheKill).as("the other control plane goes on delivering").isPositive();
                Awaitility.await("every push reported DELIVERED arrives").atMost(Duration.ofSeconds(20))
                        .untilAsserted(() -> assertThat(device.pushes()).containsAll(delivered));
            }
        }
    }

    @Test
    void redisDown_pushesAreUnavailableNeverOffline_andWorkAgainWhenItIsBack() {
        Node edge = cluster.edge(0);
        String cp = cluster.controlPlane(0).grpcTarget();
        try (RawTcpDevice device = online(edge, "cl-dan", "phone-1").autoAck()) {
            Awaitility.await("cl-dan online").atMost(Duration.ofSeconds(20))
                    .until(() -> cluster.ctl("user", "--target", cp, "cl-dan").exit() == 0);
            cluster.redis().stop();
            try {
                for (int i = 0; i < 3; i++) {
                    Ctl.Result push = cluster.ctl("push", "--target", cp, "--user", "cl-dan", "--text", "while down");
                    assertThat(push.exit()).as("push while Redis is down: %s", push).isEqualTo(3);
                    assertThat(push.out() + push.err()).contains("UNAVAILABLE").doesNotContain("no online device")
                            .doesNotContain("OFFLINE");
                }
            } finally {
                cluster.redis().start();
            }
            // Redis came back empty: the control planes notice the new epoch and the edges re-send snapshots.
            // Until then a push may be UNAVAILABLE, but the connected device is never said to be offline.
            Awaitility.await("pushes work again").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                    .until(() -> {
                        Ctl.Result push = cluster.ctl("push", "--target", cp, "--user", "cl-dan", "--text", "back");
                        assertThat(push.out() + push.err()).as("push while Redis restarts: %s", push)
                                .doesNotContain("no online device").doesNotContain("OFFLINE");
                        return push.exit() == 0;
                    });
            Awaitility.await("the push arrives").atMost(Duration.ofSeconds(10))
                    .until(() -> device.pushes().contains("back"));
        }
    }
}
