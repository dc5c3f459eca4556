package io.frontier.acceptance;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Connection events to {@code --event-backend}: a backend that is restarted a moment after it went
 * down still gets the event that came while it was down (the README's retry window).
 */
class EventsIT {
    @Test
    void backendRestartedShortlyAfterItWentDown_stillGetsTheFirstEvent() throws InterruptedException {
        int port = Ports.free();
        FrontierNode backend = FrontierNode.exampleBackend("event-backend", port);
        try (StandaloneGateway gateway = StandaloneGateway.start("--event-backend", "127.0.0.1:" + port);
                RawTcpDevice first = RawTcpDevice.online(gateway.tcpPort(), gateway.token("ev-0", "phone-1"), "phone-1")) {
            backend.awaitOutput("event CONNECTED user=ev-0 device=phone-1 type=tcp", Duration.ofSeconds(20));
            for (int round = 1; round <= 2; round++) {
                backend.kill();
                try (RawTcpDevice device = RawTcpDevice.online(gateway.tcpPort(),
                        gateway.token("ev-" + round, "phone-1"), "phone-1")) {
                    // Not synchronisation: the gap the scenario is about, a backend back 0.1-0.4 s after it went down.
                    Thread.sleep(100 + 150L * round);
                    backend.start();
                    backend.awaitOutput("event CONNECTED user=ev-" + round + " device=phone-1 type=tcp",
                            Duration.ofSeconds(20));
                }
            }
        } finally {
            backend.close();
        }
    }
}
