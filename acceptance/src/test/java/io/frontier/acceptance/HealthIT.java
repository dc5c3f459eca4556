package io.frontier.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** HTTP /livez and /readyz of the distribution's standalone (--metrics-port): ready, then not while draining. */
class HealthIT {
    private static final Duration WAIT = Duration.ofSeconds(20);

    @Test
    void readyz_turnsNotReadyWhileTheEdgeDrains_andBackAfter_livezStaysOk() throws Exception {
        int port = Ports.free();
        try (StandaloneGateway gateway = StandaloneGateway.start("--metrics-port", "" + port)) {
            // The banner is printed line by line after "is running": its health line may come a moment later.
            gateway.node().awaitOutput("health \\(HTTP\\)\\s+127\\.0\\.0\\.1:" + port + "\\s+/metrics, /livez, /readyz", WAIT);
            await().atMost(WAIT).until(() -> Http.get(port, "/readyz").equals("200 ready\n"));
            assertThat(Http.get(port, "/livez")).isEqualTo("200 ok\n");

            Ctl.Result drain = gateway.ctl("drain", "--target", gateway.grpcTarget(), "edge-1", "--window", "0s");
            assertThat(drain.exit()).as("%s", drain).isZero();
            await().atMost(WAIT).until(() -> Http.get(port, "/readyz").equals("503 draining\n"));
            assertThat(Http.get(port, "/livez")).isEqualTo("200 ok\n");

            Ctl.Result undrain = gateway.ctl("undrain", "--target", gateway.grpcTarget(), "edge-1");
            assertThat(undrain.exit()).as("%s", undrain).isZero();
            await().atMost(WAIT).until(() -> Http.get(port, "/readyz").equals("200 ready\n"));
        }
    }
}
