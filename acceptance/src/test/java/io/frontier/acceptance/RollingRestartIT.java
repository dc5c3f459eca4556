package io.frontier.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import io.frontier.acceptance.LocalCluster.Node;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A rolling restart of every node of a real cluster (the distribution's processes on real Redis and etcd), one
 * at a time by SIGTERM as an orchestrator does it, under a stream of pushes to devices that reconnect on their
 * own: no push the API reported DELIVERED is lost, every node turns not ready before it stops, and the devices
 * are back within the edge's drain window and a reconnect.
 */
class RollingRestartIT {
    private static final int USERS = 4;
    private static final int PUSHES = 1500;
    private static final int INTERVAL_MS = 25;
    private static final Duration WAIT = Duration.ofSeconds(60);

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

    @Test
    void everyNodeRestartedInTurnUnderPushes_noDeliveredPushIsLost_andTheDevicesComeBack() throws Exception {
        List<ReconnectingDevice> devices = new ArrayList<>();
        List<GrpcTool> streams = new ArrayList<>();
        try {
            for (int u = 0; u < USERS; u++) {
                String user = "rr-" + u;
                devices.add(new ReconnectingDevice(user, cluster.token(user, "phone-1"), u % 2,
                        () -> List.of(cluster.edge(0).tcpPort(), cluster.edge(1).tcpPort())).start());
            }
            String cp0 = cluster.controlPlane(0).grpcTarget();
            for (ReconnectingDevice device : devices) {
                Awaitility.await(device.user() + " online").atMost(WAIT)
                        .until(() -> cluster.ctl("user", "--target", cp0, device.user()).exit() == 0);
            }
            String[] targets = {cluster.controlPlane(0).grpcTarget(), cluster.controlPlane(1).grpcTarget()};
            for (ReconnectingDevice device : devices) {
                streams.add(GrpcTool.pushStream(device.user(), PUSHES, INTERVAL_MS, 10_000, 0, targets));
            }
            streams.get(0).awaitOutput("\"i\":50,", WAIT);

            Map<String, Integer> exits = new TreeMap<>();
            for (int i = 0; i < 2; i++) {
                Node node = cluster.controlPlane(i);
                exits.put(node.id(), restart(node, true));
            }
            for (int i = 0; i < 2; i++) {
                Node node = cluster.edge(i);
                exits.put(node.id(), restart(node, false));
                Awaitility.await("every device back after " + node.id()).atMost(WAIT)
                        .until(() -> devices.stream().allMatch(ReconnectingDevice::online));
            }
            for (GrpcTool stream : streams) {
                stream.awaitOutput("\"event\":\"done\"", Duration.ofSeconds(180));
            }

            int delivered = 0;
            int failedCalls = 0;
            int notDelivered = 0;
            Map<String, Set<String>> expected = new ConcurrentHashMap<>();
            for (int u = 0; u < USERS; u++) {
                Set<String> mine = ConcurrentHashMap.newKeySet();
                for (JsonObject push : streams.get(u).events("push")) {
                    boolean reached = false;
                    // A reply that reached no device has no outcomes at all.
                    if (push.get("code").getAsInt() == 0 && push.has("outcomes")) {
                        for (JsonElement outcome : push.getAsJsonArray("outcomes")) {
                            String said = outcome.getAsJsonObject().get("outcome").getAsString();
                            reached |= said.equals("DELIVERED") || said.equals("ACKNOWLEDGED");
                        }
                    }
                    if (reached) {
                        mine.add("m-" + push.get("i").getAsInt());
                        delivered++;
                    } else if (push.get("code").getAsInt() != 0) {
                        failedCalls++;
                    } else {
                        notDelivered++;
                    }
                }
                expected.put(devices.get(u).user(), mine);
            }
            long lost = devices.stream().mapToLong(device -> expected.get(device.user()).stream()
                    .filter(m -> !device.received().contains(m)).count()).sum();
            System.out.printf("rolling restart: %d pushes reported delivered, %d reported offline, %d calls failed"
                    + " (a control plane stopping or down); not yet received: %d; exits %s; connections per device %s;"
                    + " longest time a device was without a connection %s ms%n", delivered, notDelivered, failedCalls,
                    lost, exits, devices.stream().map(ReconnectingDevice::connections).toList(),
                    devices.stream().map(ReconnectingDevice::longestGapMs).toList());
            assertThat(exits.values()).as("a graceful stop exits as SIGTERM asks").allMatch(code -> code == 143);
            assertThat(delivered).as("the pushes went on through the restarts").isGreaterThan(USERS * PUSHES / 2);
            for (ReconnectingDevice device : devices) {
                Awaitility.await(device.user() + " has every push reported delivered").atMost(Duration.ofSeconds(20))
                        .untilAsserted(() -> assertThat(device.received()).containsAll(expected.get(device.user())));
                assertThat(device.connections()).as("moved off each edge it was on when that edge stopped")
                        .isGreaterThanOrEqualTo(2);
            }
        } finally {
            streams.forEach(GrpcTool::close);
            devices.forEach(ReconnectingDevice::close);
        }
    }

    /**
     * Restarts {@code node} by SIGTERM, having checked that it answers not ready before it goes: a load balancer
     * hears of the stop before the node turns work away. Returns the stop's exit code.
     */
    private static int restart(Node node, boolean controlPlane) throws Exception {
        Awaitility.await(node.id() + " ready").atMost(WAIT).until(() -> Http.get(node.healthPort(), "/readyz")
                .startsWith("200"));
        List<String> seen = new java.util.concurrent.CopyOnWriteArrayList<>();
        Thread probe = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                try {
                    seen.add(Http.get(node.healthPort(), "/readyz").trim());
                } catch (Exception refused) {
                    return;
                }
            }
        }, "readyz-probe");
        probe.start();
        int[] exit = {-1};
        Node started = cluster.restart(node, exit);
        probe.interrupt();
        probe.join(10_000);
        assertThat(seen).as("%s answered /readyz while it stopped", node.id())
                .anyMatch(answer -> answer.startsWith("503") && answer.contains("stopping"));
        Awaitility.await(started.id() + " ready again").atMost(WAIT).until(() -> Http.get(started.healthPort(),
                "/readyz").startsWith("200"));
        if (controlPlane) {
            // Edges attached to the stopped control plane attach to the other again before the next goes.
            for (int i = 0; i < 2; i++) {
                Node edge = cluster.edge(i);
                Awaitility.await(edge.id() + " synced").atMost(WAIT).until(() -> Http.get(edge.healthPort(),
                        "/readyz").startsWith("200"));
            }
        }
        return exit[0];
    }
}
