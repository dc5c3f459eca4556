package io.frontier.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import io.frontier.api.v1.BackServiceGrpc;
import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.DeviceOutcome;
import io.frontier.api.v1.DeviceOutcome.Outcome;
import io.frontier.api.v1.DeviceTarget;
import io.frontier.api.v1.Frame;
import io.frontier.api.v1.PushReply;
import io.frontier.api.v1.PushRequest;
import io.frontier.api.v1.PushServiceGrpc;
import io.frontier.api.v1.SendMessageReply;
import io.frontier.api.v1.SendMessageRequest;
import io.frontier.cli.DevTokens;
import io.frontier.control.push.PushLimits;
import io.frontier.edge.EdgeConfig;
import io.frontier.protocol.StatusCode;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The edge's browser page ({@code /} on the WebSocket port) in a real headless Chromium,
 * driven by {@code src/test/browser/page-test.mjs} (playwright-core): it pastes a token,
 * connects, shows the HELLO, shows and acks a push sent through the Push API, sends a
 * message to a routed backend and shows the reply, and disconnects.
 *
 * <p>It needs Debian's {@code chromium} and the npm packages of {@code src/test/browser};
 * {@code ./frontier test} installs both. Without them this test fails, on purpose: a
 * skipped browser test would look like a passing one.
 */
class BrowserPageTest {
    private static final String SECRET = "browser-page-test-secret-of-32-bytes-or-more";
    private static final int SERVICE = 1001;
    private static final Duration STEP = Duration.ofSeconds(60);
    private static final Path BROWSER_DIR = Path.of("src/test/browser").toAbsolutePath();
    private static final Path OUT_DIR = Path.of("target/browser-test").toAbsolutePath();
    private static final Path CHROMIUM = Path.of(System.getenv().getOrDefault("CHROMIUM", "/usr/bin/chromium"));
    private static final String INSTALL_HINT =
            " Run ./frontier test from the repository root: it installs Debian's chromium"
            + " and runs npm ci in launcher/src/test/browser.";

    private Server backend;
    private Standalone gateway;
    private ManagedChannel channel;
    private Process script;

    @BeforeAll
    static void browserIsInstalled() {
        if (!Files.isExecutable(CHROMIUM)) {
            fail("the browser test needs Chromium at " + CHROMIUM + ", which is missing." + INSTALL_HINT);
        }
        if (!Files.isDirectory(BROWSER_DIR.resolve("node_modules/playwright-core"))) {
            fail("the browser test needs " + BROWSER_DIR.resolve("node_modules/playwright-core")
                    + ", which is missing." + INSTALL_HINT);
        }
        try {
            Process node = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
            node.getInputStream().readAllBytes();
            if (!node.waitFor(30, TimeUnit.SECONDS) || node.exitValue() != 0) {
                fail("'node --version' failed: the browser test needs Node.js 20 or newer on the PATH.");
            }
        } catch (IOException e) {
            fail("the browser test needs Node.js 20 or newer on the PATH (Debian: apt-get install nodejs npm): " + e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            fail("interrupted");
        }
    }

    @AfterEach
    void stop() throws Exception {
        if (script != null && script.isAlive()) {
            script.descendants().forEach(ProcessHandle::destroyForcibly);
            script.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (channel != null) {
            channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
        if (gateway != null) {
            gateway.close();
        }
        if (backend != null) {
            backend.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
        }
    }

    @Test
    void page_showsHelloAndPushes_acksThem_andTalksToABackend() throws Exception {
        backend = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
                .addService(new Echo()).build().start();
        gateway = Standalone.start(new StandaloneConfig(EdgeConfig.builder()
                .tcpHost("127.0.0.1").tcpPort(0).wsHost("127.0.0.1").wsPort(0)
                .route(SERVICE, "127.0.0.1:" + backend.getPort())
                .jwtSecret(SECRET).ioThreads(2).build(),
                "127.0.0.1", 0, PushLimits.DEFAULTS, null));
        channel = NettyChannelBuilder.forAddress(gateway.grpcAddress()).usePlaintext().build();
        String token = DevTokens.mint(SECRET, "alice", "browser-1", Duration.ofHours(1), Clock.systemUTC());
        String url = "http://127.0.0.1:" + gateway.edge().wsAddress().getPort() + "/";

        Files.createDirectories(OUT_DIR);
        Path stderr = OUT_DIR.resolve("page-test.stderr.log");
        script = new ProcessBuilder("node", "page-test.mjs", "--url", url, "--token", token, "--device", "browser-1",
                "--push-text", "hello browser", "--service", Integer.toString(SERVICE),
                "--message", "ping from the page", "--chromium", CHROMIUM.toString(),
                "--screenshot-dir", OUT_DIR.toString())
                .directory(BROWSER_DIR.toFile())
                .redirectError(stderr.toFile())
                .start();
        script.getOutputStream().close();
        Output output = new Output(script, stderr);

        JsonObject hello = output.await("hello");
        assertThat(hello.get("userId").getAsString()).isEqualTo("alice");
        assertThat(hello.get("pingIntervalMs").getAsLong()).isEqualTo(30_000);
        assertThat(hello.get("shown").getAsString()).isEqualTo(hello.get("connId").getAsString());
        output.await("ready");

        // The text goes through the Push API as UTF-8; the page decodes it from base64.
        String text = "hello browser: ✓ ü 日本";
        PushReply reply = PushServiceGrpc.newBlockingStub(channel).withDeadlineAfter(30, TimeUnit.SECONDS)
                .push(PushRequest.newBuilder()
                        .setDevice(DeviceTarget.newBuilder().setUserId("alice").setDeviceId("browser-1"))
                        .setPayload(ByteString.copyFromUtf8(text))
                        .setWaitAck(true).setAckTimeoutMs(20_000).build());
        assertThat(reply.getOutcomesList()).as("push outcomes; %s", output).hasSize(1);
        DeviceOutcome outcome = reply.getOutcomes(0);
        assertThat(outcome.getOutcome()).as("the page acks the push; %s", output).isEqualTo(Outcome.ACKNOWLEDGED);
        assertThat(outcome.getClientType()).isEqualTo(ClientType.CLIENT_TYPE_WS);
        assertThat(outcome.getConnId()).isEqualTo(hello.get("connId").getAsString());

        JsonObject push = output.await("push");
        assertThat(push.get("seqid").getAsString()).isEqualTo("1");
        assertThat(push.get("text").getAsString()).contains("#1: " + text);
        assertThat(push.get("acked").getAsBoolean()).isTrue();

        JsonObject echoed = output.await("reply");
        assertThat(echoed.get("seqid").getAsString()).isEqualTo("1");
        assertThat(echoed.get("status").getAsString()).isEqualTo("200");
        assertThat(echoed.get("text").getAsString()).contains("ping from the page", "echo=true");

        JsonObject closed = output.await("closed");
        assertThat(closed.get("code").getAsInt()).as("WebSocket close code after the page's BYE").isEqualTo(1000);
        assertThat(closed.get("state").getAsString()).isEqualTo("disconnected");
        output.await("done");
        assertThat(script.waitFor(STEP.toSeconds(), TimeUnit.SECONDS)).as("page-test.mjs exits; %s", output).isTrue();
        assertThat(script.exitValue()).as("page-test.mjs exit code; %s", output).isZero();
    }

    /** What a routed backend answers: the payload back, status 200, a header {@code echo: true}. */
    private static final class Echo extends BackServiceGrpc.BackServiceImplBase {
        @Override
        public void sendMessage(SendMessageRequest request, StreamObserver<SendMessageReply> reply) {
            reply.onNext(SendMessageReply.newBuilder()
                    .setStatus(StatusCode.OK)
                    .setPayloadType(request.getPayloadType())
                    .setPayload(request.getPayload())
                    .addHeaders(Frame.ExtendedEntry.newBuilder().setKey("echo").setValue("true"))
                    .build());
            reply.onCompleted();
        }
    }

    /** The script's JSON lines, as they come; a "failed" line or the script's end fails the wait. */
    private static final class Output {
        private final BlockingQueue<JsonObject> events = new LinkedBlockingQueue<>();
        private final List<String> lines = new ArrayList<>();
        private final Process process;
        private final Path stderr;

        Output(Process process, Path stderr) {
            this.process = process;
            this.stderr = stderr;
            Thread reader = new Thread(this::read, "page-test-stdout");
            reader.setDaemon(true);
            reader.start();
        }

        private void read() {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                    try {
                        events.add(JsonParser.parseString(line).getAsJsonObject());
                    } catch (RuntimeException notJson) {
                        // kept in lines, shown on failure
                    }
                }
            } catch (IOException e) {
                synchronized (lines) {
                    lines.add("(reading the script's output failed: " + e + ")");
                }
            }
            JsonObject end = new JsonObject();
            end.addProperty("event", "(end of output)");
            events.add(end);
        }

        /** Returns the next line of event {@code name}, skipping others ("console" and the like). */
        JsonObject await(String name) throws InterruptedException {
            long deadline = System.nanoTime() + STEP.toNanos();
            while (true) {
                JsonObject event = events.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
                if (event == null) {
                    fail("no \"" + name + "\" line from page-test.mjs within " + STEP.toSeconds() + " s; " + this);
                }
                String got = event.get("event").getAsString();
                if (got.equals(name)) {
                    return event;
                }
                if (got.equals("failed") || got.equals("(end of output)")) {
                    fail("page-test.mjs did not get to \"" + name + "\"; " + this);
                }
            }
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("page-test.mjs printed:\n");
            synchronized (lines) {
                lines.forEach(line -> s.append("  ").append(line).append('\n'));
            }
            try {
                String err = Files.readString(stderr, StandardCharsets.UTF_8).strip();
                if (!err.isEmpty()) {
                    s.append("and on stderr (").append(stderr).append("):\n").append(err.indent(2));
                }
            } catch (IOException e) {
                s.append("(no stderr: ").append(e).append(")\n");
            }
            return s.toString();
        }
    }
}
