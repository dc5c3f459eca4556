package io.frontier.acceptance;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The gateway's browser page ({@code /} on the WebSocket port of {@code bin/frontier standalone}) in a real
 * headless Chromium, driven by {@code src/test/node/page-test.mjs} (playwright-core): it pastes a token,
 * connects, shows the HELLO, shows and acks a push sent with {@code bin/frontier ctl push --wait-ack}, sends
 * a message to {@code bin/frontier example-backend} and shows the reply, and disconnects.
 *
 * <p>It needs Debian's {@code chromium} and the npm packages of {@code src/test/node}; {@code ./frontier test}
 * installs both. Without them this test fails, on purpose: a skipped browser test would look like a passing one.
 */
class BrowserPageIT {
    private static final int SERVICE = 1001;
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private static final Path OUT_DIR = Path.of("target/browser-test").toAbsolutePath();

    private FrontierNode backend;
    private StandaloneGateway gateway;
    private WsDevice.NodeScript script;

    @BeforeAll
    static void chromiumIsInstalled() {
        if (!Files.isExecutable(CHROMIUM)) {
            fail("the browser test needs Chromium at " + CHROMIUM + ", which is missing."
                    + " ./frontier test installs it (Debian's chromium), or set CHROMIUM to another build.");
        }
        if (!Files.isDirectory(WsDevice.NodeScript.DIR.resolve("node_modules/playwright-core"))) {
            fail(WsDevice.NodeScript.DIR.resolve("node_modules/playwright-core") + " is missing."
                    + " ./frontier test installs it (npm ci in acceptance/src/test/node).");
        }
    }

    @AfterEach
    void stop() {
        if (script != null) {
            script.close();
        }
        if (gateway != null) {
            gateway.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @Test
    void page_showsHelloAndPushes_acksThem_andTalksToABackend() {
        int backendPort = Ports.free();
        backend = FrontierNode.exampleBackend("example-backend", backendPort);
        gateway = StandaloneGateway.start("--route", SERVICE + "=127.0.0.1:" + backendPort);
        String url = "http://127.0.0.1:" + gateway.wsPort() + "/";

        script = WsDevice.NodeScript.start("page-test", "page-test.mjs", List.of("--url", url,
                "--token", gateway.token("alice", "browser-1"), "--device", "browser-1",
                "--push-text", "hello browser", "--service", "" + SERVICE, "--message", "ping from the page",
                "--chromium", CHROMIUM.toString(), "--screenshot-dir", OUT_DIR.toString(),
                "--timeout-ms", "" + STEP.toMillis()));

        JsonObject hello = script.await("hello", STEP);
        String connId = hello.get("connId").getAsString();
        assertThat(hello.get("userId").getAsString()).isEqualTo("alice");
        assertThat(hello.get("pingIntervalMs").getAsLong()).isEqualTo(30_000);
        assertThat(hello.get("shown").getAsString()).as("the connection id on the page").isEqualTo(connId);
        script.await("ready", STEP);

        // ctl sends the text as UTF-8 and the page decodes the push's bytes: non-ASCII shows that both agree
        String text = "hello browser: ✓ ü 日本";
        Map<String, String> env = new HashMap<>(gateway.env());
        env.put("LC_ALL", "C.UTF-8");
        Ctl.Result push = Ctl.run(env, "push", "--target", gateway.grpcTarget(),
                "--user", "alice", "--device", "browser-1", "--text", text, "--wait-ack");
        assertThat(push.exit()).as("%s\n%s", push, script).isZero();
        assertThat(push.out()).as("the page acks the push; %s", script)
                .containsPattern("alice\\s+browser-1\\s+ws\\s+" + connId + "\\s+acknowledged");

        JsonObject shown = script.await("push", STEP);
        assertThat(shown.get("seqid").getAsString()).isEqualTo("1");
        assertThat(shown.get("text").getAsString()).contains("#1: " + text);
        assertThat(shown.get("acked").getAsBoolean()).isTrue();

        JsonObject reply = script.await("reply", STEP);
        assertThat(reply.get("seqid").getAsString()).isEqualTo("1");
        assertThat(reply.get("status").getAsString()).isEqualTo("200");
        assertThat(reply.get("text").getAsString()).as("the example backend's echo and header")
                .contains("ping from the page", "echo=true");

        JsonObject closed = script.await("closed", STEP);
        assertThat(closed.get("code").getAsInt()).as("WebSocket close code after the page's BYE").isEqualTo(1000);
        assertThat(closed.get("state").getAsString()).isEqualTo("disconnected");
        script.await("done", STEP);
        assertThat(script.awaitExit(STEP)).as("page-test.mjs exit code; %s", script).isZero();
    }
}
