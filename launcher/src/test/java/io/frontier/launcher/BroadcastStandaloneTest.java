package io.frontier.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.frontier.cli.DevTokens;
import io.frontier.control.access.ApiAccess;
import io.frontier.control.push.PushLimits;
import io.frontier.device.TcpDeviceClient;
import io.frontier.edge.EdgeConfig;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@code frontier ctl broadcast} against a standalone gateway with tokens, run as a user runs it, with real devices. */
class BroadcastStandaloneTest {
    private static final String SECRET = "broadcast-test-secret-of-at-least-32-bytes";
    private static final String ADMIN_TOKEN = "admin-token-1";
    private static final String PUSH_TOKEN = "push-token-1";
    private static final int WAIT_SECONDS = 10;

    private final List<TcpDeviceClient> devices = new ArrayList<>();
    private Standalone gateway;

    @BeforeEach
    void start() throws Exception {
        gateway = Standalone.start(new StandaloneConfig(EdgeConfig.builder()
                .tcpHost("127.0.0.1").tcpPort(0).wsHost("127.0.0.1").wsPort(0).jwtSecret(SECRET).ioThreads(2).build(),
                "127.0.0.1", 0, PushLimits.DEFAULTS, null, null, new ApiAccess(ADMIN_TOKEN, PUSH_TOKEN)));
    }

    @AfterEach
    void stop() {
        devices.forEach(TcpDeviceClient::close);
        gateway.close();
    }

    private TcpDeviceClient device(String user) {
        TcpDeviceClient device = TcpDeviceClient.connect(gateway.edge().tcpAddress(), TcpDeviceClient.Options.DEFAULTS).join();
        devices.add(device);
        device.hello(DevTokens.mint(SECRET, user, "phone", Duration.ofHours(1), Clock.systemUTC()), "phone", "")
                .orTimeout(WAIT_SECONDS, TimeUnit.SECONDS).join();
        return device;
    }

    private CtlRun broadcast(String pushToken, String... args) {
        List<String> all = new ArrayList<>(List.of("ctl", "broadcast", "--target=127.0.0.1:" + gateway.grpcAddress().getPort()));
        all.addAll(List.of(args));
        return CtlRun.run(pushToken == null ? Map.of() : Map.of("FRONTIER_PUSH_TOKEN", pushToken), all.toArray(String[]::new));
    }

    private static String nextPush(TcpDeviceClient device) throws InterruptedException {
        TcpDeviceClient.Push push = device.pushes().poll(WAIT_SECONDS, TimeUnit.SECONDS);
        assertThat(push).as("a push").isNotNull();
        return new String(push.payload(), StandardCharsets.UTF_8);
    }

    @Test
    void broadcast_reachesEveryDevice_andPrintsTheEdgeAndTheTotal() throws Exception {
        TcpDeviceClient alice = device("alice");
        TcpDeviceClient bob = device("bob");

        CtlRun run = broadcast(PUSH_TOKEN, "--text", "news for all");

        assertThat(run.exitCode()).as(run.toString()).isZero();
        assertThat(run.out().lines()).containsExactly(
                "EDGE    WRITTEN  SKIPPED-UNWRITABLE  SKIPPED-CLOSED  ERROR",
                "edge-1  2        0                   0               -",
                "total: 2 written, 0 skipped, on 1 edge");
        assertThat(nextPush(alice)).isEqualTo("news for all");
        assertThat(nextPush(bob)).isEqualTo("news for all");

        CtlRun json = broadcast(PUSH_TOKEN, "--text", "again", "-o", "json");
        JsonObject reply = JsonParser.parseString(json.out()).getAsJsonObject();
        assertThat(reply.get("written").getAsLong()).as(json.toString()).isEqualTo(2);
        assertThat(reply.getAsJsonArray("results").get(0).getAsJsonObject().get("edgeId").getAsString())
                .isEqualTo("edge-1");
    }

    @Test
    void broadcast_toAClientTypeNobodyUses_writesNothing_andExits1() {
        device("alice");

        CtlRun run = broadcast(PUSH_TOKEN, "--text", "smartphones only", "--client-type", "ws");

        assertThat(run.exitCode()).as(run.toString()).isEqualTo(1);
        assertThat(run.out()).contains("total: 0 written, 0 skipped, on 1 edge");
    }

    @Test
    void broadcast_needsThePushToken_notTheAdminOne() throws Exception {
        TcpDeviceClient alice = device("alice");

        CtlRun none = broadcast(null, "--text", "x");
        CtlRun admin = broadcast(ADMIN_TOKEN, "--text", "y");

        assertThat(none.exitCode()).as(none.toString()).isEqualTo(4);
        assertThat(none.err()).contains("export FRONTIER_PUSH_TOKEN");
        assertThat(admin.exitCode()).as(admin.toString()).isEqualTo(4);
        assertThat(broadcast(PUSH_TOKEN, "--text", "z").exitCode()).isZero();
        assertThat(nextPush(alice)).as("the refused broadcasts wrote nothing").isEqualTo("z");
    }
}
