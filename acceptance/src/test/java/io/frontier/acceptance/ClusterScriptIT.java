package io.frontier.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code deploy/local/cluster.sh} of the checkout, running the unpacked distribution's nodes. */
class ClusterScriptIT {
    private static final Path SCRIPT = Distribution.checkout().resolve("deploy/local/cluster.sh");

    @TempDir
    Path run;

    private Map<String, String> env;

    private Map<String, String> env(int... taken) {
        Map<String, String> env = new HashMap<>();
        env.put("FRONTIER_HOME", Distribution.home().toString());
        env.put("RUN_DIR", run.toString());
        env.put("FRONTIER_JWT_SECRET", StandaloneGateway.SECRET);
        env.put("NAMESPACE", "/cluster-script-" + System.nanoTime());
        env.put("REDIS_PORT", "" + Ports.free());
        env.put("ETCD_PORT", "" + Ports.free());
        env.put("ETCD_PEER_PORT", "" + Ports.free());
        env.put("CP_PORTS", taken.length > 0 ? Ports.free() + " " + taken[0] : Ports.free() + " " + Ports.free());
        env.put("CP_LINK_PORTS", Ports.free() + " " + Ports.free());
        env.put("EDGE_TCP_PORTS", Ports.free() + " " + Ports.free());
        env.put("EDGE_WS_PORTS", Ports.free() + " " + Ports.free());
        env.put("EDGE_GRPC_PORTS", Ports.free() + " " + Ports.free());
        env.put("CP_METRICS_PORTS", Ports.free() + " " + Ports.free());
        env.put("EDGE_METRICS_PORTS", Ports.free() + " " + Ports.free());
        this.env = env;
        return env;
    }

    @AfterEach
    void stop() {
        if (env != null) {
            Ctl.exec(List.of(SCRIPT.toString(), "stop"), env);
        }
    }

    @Test
    void aPortInUse_failsAtOnceNamingIt() throws IOException {
        try (ServerSocket busy = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            long started = System.nanoTime();
            Ctl.Result start = Ctl.exec(List.of(SCRIPT.toString(), "start"), env(busy.getLocalPort()));
            assertThat(start.exit()).as("%s", start).isNotZero();
            assertThat(start.err()).contains("port " + busy.getLocalPort());
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(10));
        }
    }

    @Test
    void start_pushAcrossTheCluster_stop() throws Exception {
        Map<String, String> env = env();
        Ctl.Result start = Ctl.exec(List.of(SCRIPT.toString(), "start"), env);
        assertThat(start.exit()).as("%s", start).isZero();
        assertThat(start.out()).contains("Ready.");
        int edgeTcp = Integer.parseInt(env.get("EDGE_TCP_PORTS").split(" ")[1]);
        String cp = "127.0.0.1:" + env.get("CP_PORTS").split(" ")[0];
        try (RawTcpDevice device = RawTcpDevice.online(edgeTcp, Jwt.mint(StandaloneGateway.SECRET, "script-alice",
                "phone-1"), "phone-1").autoAck()) {
            org.awaitility.Awaitility.await("a push through cp-1 reaches edge-2's device").atMost(Duration.ofSeconds(30))
                    .until(() -> Ctl.run(env, "push", "--target", cp, "--user", "script-alice", "--text", "hi",
                            "--wait-ack").out().contains("acknowledged"));
            assertThat(run.resolve("cp-1.log")).as("the nodes authenticate each other")
                    .content().contains("EdgeLink on 127.0.0.1:" + env.get("CP_LINK_PORTS").split(" ")[0]
                            + " (internal links need mutual TLS)");
            assertThat(run.resolve("edge-2.log")).content().contains("(internal links need mutual TLS)");
            int edgeMetrics = Integer.parseInt(env.get("EDGE_METRICS_PORTS").split(" ")[1]);
            assertThat(Metrics.scrape(edgeMetrics).value("frontier_edge_connections{protocol=\"tcp\"}"))
                    .as("edge-2's metrics").isEqualTo(1);
            Ctl.Result stop = Ctl.exec(List.of(SCRIPT.toString(), "stop"), env);
            assertThat(stop.exit()).as("%s", stop).isZero();
            device.expectByeAndClose(503);
        }
        Ctl.Result status = Ctl.exec(List.of(SCRIPT.toString(), "status"), env);
        assertThat(status.out()).doesNotContain("running");
    }
}
