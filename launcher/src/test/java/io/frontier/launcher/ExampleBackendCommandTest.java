package io.frontier.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code frontier example-backend} is listed, and a port it cannot serve on stops it with one line. */
class ExampleBackendCommandTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of());
    }

    @Test
    void frontierHelp_listsIt() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("example-backend");
    }

    @Test
    void help_showsThePortAndHowToPointAGatewayAtIt() {
        assertThat(run("example-backend", "--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8))
                .contains("--port", "Default: 7100", "--route 1001=localhost:7100 --event-backend localhost:7100");
    }

    @Test
    void portInUse_saysWhichAndExits1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            assertThat(run("example-backend", "--port", String.valueOf(taken.getLocalPort()))).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .startsWith("frontier: cannot listen on 127.0.0.1:" + taken.getLocalPort() + ": ")
                    .contains("choose another port with --port");
        }
    }

    @Test
    void portOutOfRange_isAUsageError() {
        assertThat(run("example-backend", "--port", "70000")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("invalid setting: port: 70000 (expected: 0..65535)");
    }
}
