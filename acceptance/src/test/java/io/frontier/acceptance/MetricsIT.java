package io.frontier.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * /metrics of the distribution's standalone (--metrics-port), scraped over HTTP while a device plays its part
 * from outside: a connect, a push and its ack, a kick, a refused token each move their own counters.
 */
class MetricsIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void aConnectAPushAnAckAndAKick_moveTheirCounters_besideTheJvmsOwnMeters() throws Exception {
        int port = Ports.free();
        try (StandaloneGateway gateway = StandaloneGateway.start("--metrics-port", "" + port)) {
            gateway.node().awaitOutput("health \\(HTTP\\)\\s+127\\.0\\.0\\.1:" + port + "\\s+/metrics, /livez, /readyz",
                    WAIT);
            Metrics before = Metrics.scrape(port);
            assertThat(before.value("frontier_edge_connects_total{protocol=\"tcp\"}")).isZero();
            assertThat(before.has("jvm_memory_used_bytes")).as("%s", before).isTrue();
            assertThat(before.has("jvm_gc_pause_seconds_count") || before.has("jvm_gc_memory_allocated_bytes_total"))
                    .isTrue();
            assertThat(before.has("process_files_open_files")).isTrue();
            assertThat(before.has("netty_eventexecutor_tasks_pending")).isTrue();

            try (RawTcpDevice device = RawTcpDevice.online(gateway.tcpPort(), gateway.token("alice", "phone-1"),
                    "phone-1").autoAck()) {
                Ctl.Result push = gateway.ctl("push", "--target", gateway.grpcTarget(), "--user", "alice",
                        "--text", "hi", "--wait-ack");
                assertThat(push.exit()).as("%s", push).isZero();
                assertThat(push.out()).contains("acknowledged");

                Ctl.Result kick = gateway.ctl("kick", "--target", gateway.grpcTarget(), "--user", "alice");
                assertThat(kick.exit()).as("%s", kick).isZero();
                device.expectByeAndClose(410);
            }
            try (RawTcpDevice refused = RawTcpDevice.connect(gateway.tcpPort())) {
                refused.hello("not-a-token", "phone-2");
                refused.expectClosed();
            }

            await().atMost(WAIT).untilAsserted(() -> {
                Metrics after = Metrics.scrape(port);
                assertThat(after.value("frontier_edge_connects_total{protocol=\"tcp\"}")).as("%s", after)
                        .isEqualTo(2);
                assertThat(after.value("frontier_edge_connections{protocol=\"tcp\"}")).isZero();
                assertThat(after.value("frontier_edge_hello_seconds_count")).isEqualTo(1);
                assertThat(after.value("frontier_edge_pushes_total{result=\"written\"}")).isEqualTo(1);
                assertThat(after.value("frontier_edge_pushes_total{result=\"acknowledged\"}")).isEqualTo(1);
                assertThat(after.value("frontier_edge_closes_total{code=\"410\",protocol=\"tcp\"}")).isEqualTo(1);
                assertThat(after.value("frontier_edge_closes_total{code=\"401\",protocol=\"tcp\"}")).isEqualTo(1);
                assertThat(after.value("frontier_edge_auth_failures_total{reason=\"refused\"}")).isEqualTo(1);
                assertThat(after.value("frontier_push_outcomes_total{outcome=\"acknowledged\"}")).isEqualTo(1);
                assertThat(after.value("frontier_push_calls_total{method=\"Push\",status=\"OK\"}")).isEqualTo(1);
                assertThat(after.value("frontier_push_latency_seconds_count{method=\"Push\"}")).isEqualTo(1);
                assertThat(after.value("frontier_admin_calls_total{method=\"Kick\",status=\"OK\"}")).isEqualTo(1);
            });
        }
    }
}
