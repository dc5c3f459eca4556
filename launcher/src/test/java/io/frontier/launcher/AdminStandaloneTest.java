package io.frontier.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.frontier.api.v1.TcpHelloAck;
import io.frontier.cli.DevTokens;
import io.frontier.control.access.ApiAccess;
import io.frontier.control.push.PushLimits;
import io.frontier.device.TcpDeviceClient;
import io.frontier.edge.EdgeConfig;
import io.frontier.protocol.StatusCode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every admin command of {@code frontier ctl} against a standalone gateway with tokens,
 * run as a user runs it, with real TCP devices on the other side.
 */
class AdminStandaloneTest {
    private static final String SECRET = "admin-test-secret-of-at-least-32-bytes";
    private static final String ADMIN_TOKEN = "admin-token-1";
    private static final String PUSH_TOKEN = "push-token-1";
    private static final Duration WAIT = Duration.ofSeconds(10);

    private Standalone gateway;
    private final List<TcpDeviceClient> devices = new ArrayList<>();
    private Map<String, String> env;

    @BeforeEach
    void start() throws Exception {
        gateway = Standalone.start(new StandaloneConfig(EdgeConfig.builder()
                .tcpHost("127.0.0.1").tcpPort(0).wsHost("127.0.0.1").wsPort(0).jwtSecret(SECRET).ioThreads(2)
                .routes(Map.of(1001, "localhost:7100")).build(),
                "127.0.0.1", 0, PushLimits.DEFAULTS, null, null, new ApiAccess(ADMIN_TOKEN, PUSH_TOKEN)));
        env = Map.of("FRONTIER_ADMIN_TOKEN", ADMIN_TOKEN, "FRONTIER_PUSH_TOKEN", PUSH_TOKEN,
                "FRONTIER_JWT_SECRET", SECRET);
    }

    @AfterEach
    void stop() {
        devices.forEach(TcpDeviceClient::close);
        gateway.close();
    }

    private String target() {
        return "--target=127.0.0.1:" + gateway.grpcAddress().getPort();
    }

    private CtlRun ctl(String... args) {
        return ctl(env, args);
    }

    private CtlRun ctl(Map<String, String> env, String... args) {
        String[] full = new String[args.length + 2];
        full[0] = "ctl";
        System.arraycopy(args, 0, full, 1, args.length);
        full[full.length - 1] = target();
        // Subcommands with subcommands of their own take --target after them: keep it last.
        return CtlRun.run(env, full);
    }

    private TcpDeviceClient connect() {
        TcpDeviceClient device = TcpDeviceClient.connect(gateway.edge().tcpAddress(), TcpDeviceClient.Options.DEFAULTS).join();
        devices.add(device);
        return device;
    }

    private TcpHelloAck hello(TcpDeviceClient device, String user, String deviceId) {
        return device.hello(DevTokens.mint(SECRET, user, deviceId, Duration.ofHours(1), Clock.systemUTC()), deviceId, "2.1")
                .orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    private TcpDeviceClient device(String user, String deviceId) {
        TcpDeviceClient device = connect();
        hello(device, user, deviceId);
        return device;
    }

    @Test
    void user_showsEachDeviceWithItsEdgeAndActivity_andExits1WhenOffline() {
        TcpDeviceClient phone = device("alice", "phone-1");
        phone.ping().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();

        CtlRun table = ctl("user", "alice");
        assertThat(table.exitCode()).as(table.toString()).isZero();
        assertThat(table.out()).contains("TYPE", "LAST-ACTIVE").containsPattern("tcp\\s+phone-1\\s+\\w{28}\\s+edge-1\\s+127\\.0\\.0\\.1:\\d+");

        CtlRun json = ctl("user", "alice", "-o", "json");
        JsonObject conn = JsonParser.parseString(json.out()).getAsJsonObject().getAsJsonArray("connections").get(0).getAsJsonObject();
        assertThat(conn.get("deviceId").getAsString()).isEqualTo("phone-1");
        assertThat(conn.get("appVersion").getAsString()).isEqualTo("2.1");
        assertThat(Long.parseLong(conn.get("lastActivityMs").getAsString()))
                .isGreaterThanOrEqualTo(Long.parseLong(conn.get("connectedAtMs").getAsString()));

        CtlRun offline = ctl("user", "bob");
        assertThat(offline.exitCode()).isEqualTo(1);
        assertThat(offline.out()).contains("bob has no online device");
    }

    @Test
    void conns_pagesThroughAnEdge_filtersByUser_andCountsByType() {
        device("alice", "phone-1");
        device("bob", "phone-1");
        device("carol", "phone-1");

        CtlRun firstPage = ctl("conns", "edge-1", "--page-size", "2");
        assertThat(firstPage.exitCode()).as(firstPage.toString()).isZero();
        assertThat(firstPage.out()).contains("edge-1: 3 connections (tcp 3, ws 0)").contains("more: --page-token");
        assertThat(firstPage.out().lines().filter(l -> l.contains(" tcp ")).count()).isEqualTo(2);

        CtlRun all = ctl("conns", "edge-1", "--page-size", "1", "--all");
        assertThat(all.out()).contains("alice", "bob", "carol").doesNotContain("more:");

        CtlRun bob = ctl("conns", "edge-1", "--user", "bob", "--client-type", "tcp");
        assertThat(bob.out()).contains("bob").doesNotContain("alice");
        assertThat(ctl("conns", "edge-1", "--client-type", "ws").out()).contains("no connection matches");

        CtlRun unknown = ctl("conns", "edge-9");
        assertThat(unknown.exitCode()).isEqualTo(1);
        assertThat(unknown.err()).contains("edge_id: edge-9", "ctl edges");
        assertThat(ctl("conns", "edge-1", "--page-size", "5000").exitCode()).isEqualTo(2);
    }

    @Test
    void kick_byDeviceByUserAndByConnection_sendsBye410_andStatusFollows() {
        TcpDeviceClient phone = device("alice", "phone-1");
        TcpDeviceClient tablet = device("alice", "tablet-1");
        TcpDeviceClient bobPhone = device("bob", "phone-1");

        CtlRun byDevice = ctl("kick", "--user", "alice", "--device", "phone-1", "--reason", "maintenance");
        assertThat(byDevice.exitCode()).as(byDevice.toString()).isZero();
        assertThat(byDevice.out()).contains("kicked", "alice", "phone-1");
        assertThat(phone.byeReceived().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join().getCode()).isEqualTo(StatusCode.KICKED);
        phone.closed().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
        await().atMost(WAIT).until(() -> !ctl("user", "alice").out().contains("phone-1"));
        assertThat(tablet.isActive()).isTrue();

        String bobConn = ctl("user", "bob", "-o", "json").out().replaceAll("(?s).*\"connId\": \"(\\w+)\".*", "$1");
        assertThat(ctl("kick", "--conn", bobConn).exitCode()).isZero();
        assertThat(bobPhone.byeReceived().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join().getCode()).isEqualTo(StatusCode.KICKED);

        assertThat(ctl("kick", "--user", "alice").exitCode()).isZero();
        assertThat(tablet.byeReceived().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join().getCode()).isEqualTo(StatusCode.KICKED);
        await().atMost(WAIT).until(() -> ctl("user", "alice").exitCode() == 1 && ctl("user", "bob").exitCode() == 1);

        CtlRun nothing = ctl("kick", "--user", "alice");
        assertThat(nothing.exitCode()).isEqualTo(1);
        assertThat(nothing.out()).contains("nothing kicked");
        CtlRun usage = ctl("kick", "--device", "phone-1");
        assertThat(usage.exitCode()).isEqualTo(2);
        assertThat(usage.err()).contains("--device: phone-1 without --user");
    }

    @Test
    void edgesDrainUndrain_closeConnectionsWith503_refuseNewOnes_andAcceptAgain() {
        TcpDeviceClient first = device("alice", "phone-1");
        TcpDeviceClient second = device("bob", "phone-1");
        CtlRun edges = ctl("edges");
        assertThat(edges.exitCode()).as(edges.toString()).isZero();
        assertThat(edges.out()).containsPattern("edge-1\\s+active\\s+2\\s+2\\s+0\\s+\\d+s\\s+" + Main.VERSION);

        CtlRun drain = ctl("drain", "edge-1", "--window", "500ms");
        assertThat(drain.exitCode()).as(drain.toString()).isZero();
        assertThat(drain.out()).contains("edge-1 is draining", "2 connections");
        for (TcpDeviceClient device : List.of(first, second)) {
            assertThat(device.byeReceived().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join().getCode())
                    .isEqualTo(StatusCode.DRAINING);
        }
        await().atMost(WAIT).until(() -> ctl("user", "alice").exitCode() == 1 && ctl("user", "bob").exitCode() == 1);
        assertThat(ctl("edges").out()).containsPattern("edge-1\\s+draining\\s+0");
        TcpDeviceClient refused = connect();
        assertThat(refused.byeReceived().orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join().getCode())
                .isEqualTo(StatusCode.DRAINING);

        CtlRun undrain = ctl("undrain", "edge-1");
        assertThat(undrain.out()).contains("edge-1 accepts devices again");
        device("carol", "phone-1");
        assertThat(ctl("edges").out()).containsPattern("edge-1\\s+active\\s+1");
        assertThat(ctl("drain", "edge-9").exitCode()).isEqualTo(1);
        assertThat(ctl("drain", "edge-1", "--window", "2h").exitCode()).isEqualTo(2);
    }

    @Test
    void routes_listSetDelete() {
        CtlRun list = ctl("routes");
        assertThat(list.exitCode()).as(list.toString()).isZero();
        assertThat(list.out()).containsPattern("1001\\s+localhost:7100");

        assertThat(ctl("routes", "set", "1002", "localhost:7200,timeout=2s").exitCode()).isZero();
        assertThat(gateway.edge().routes().backend(1002).target()).isEqualTo("localhost:7200");
        String json = ctl("routes", "list", "-o", "json").out();
        assertThat(json).contains("\"localhost:7200,timeout=2s\"");
        JsonObject second = JsonParser.parseString(json).getAsJsonObject()
                .getAsJsonArray("routes").get(1).getAsJsonObject();
        assertThat(second.get("service").getAsInt()).isEqualTo(1002);
        assertThat(second.get("target").getAsString()).isEqualTo("localhost:7200,timeout=2s");
        assertThat(ctl("routes").out()).containsPattern("1002\\s+localhost:7200,timeout=2s");

        assertThat(ctl("routes", "delete", "1001").exitCode()).isZero();
        assertThat(gateway.edge().routes().backend(1001)).isNull();
        CtlRun again = ctl("routes", "delete", "1001");
        assertThat(again.exitCode()).isEqualTo(1);
        assertThat(again.out()).contains("service 1001 had no route");

        CtlRun bad = ctl("routes", "set", "1003", "nohost");
        assertThat(bad.exitCode()).isEqualTo(2);
        assertThat(bad.err()).contains("route: nohost (expected: HOST:PORT");
        assertThat(ctl("routes", "set", "0", "localhost:1").err()).contains("service: 0 (expected: a service id above 0)");
    }

    @Test
    void callsWithoutTheirToken_areRefusedWithExit4() {
        device("alice", "phone-1");
        CtlRun noToken = ctl(Map.of(), "user", "alice");
        assertThat(noToken.exitCode()).isEqualTo(4);
        assertThat(noToken.err()).contains("UNAUTHENTICATED", "export FRONTIER_ADMIN_TOKEN");

        CtlRun wrong = ctl(Map.of("FRONTIER_ADMIN_TOKEN", "guess"), "edges");
        assertThat(wrong.exitCode()).isEqualTo(4);
        assertThat(wrong.err()).contains("refused this bearer token", "check that FRONTIER_ADMIN_TOKEN");

        // Each API has its own token: the push token opens no admin call, and the other way round.
        assertThat(ctl(Map.of("FRONTIER_ADMIN_TOKEN", PUSH_TOKEN), "edges").exitCode()).isEqualTo(4);
        CtlRun pushWithAdminToken = ctl(Map.of("FRONTIER_PUSH_TOKEN", ADMIN_TOKEN), "push", "--user", "alice", "--text", "hi");
        assertThat(pushWithAdminToken.exitCode()).isEqualTo(4);
        assertThat(pushWithAdminToken.err()).contains("FRONTIER_PUSH_TOKEN");

        CtlRun push = ctl("push", "--user", "alice", "--text", "hi");
        assertThat(push.exitCode()).as(push.toString()).isZero();
        assertThat(push.out()).contains("delivered");
    }

    @Test
    void completion_printsABashScriptForFrontierCtl() {
        CtlRun completion = CtlRun.run(Map.of(), "ctl", "completion");
        assertThat(completion.exitCode()).isZero();
        assertThat(completion.out()).contains("complete -F", "frontier", "drain", "undrain", "routes");
    }

    @Test
    void standalone_refusesAnOpenApiOnANonLoopbackHost() {
        CtlRun open = CtlRun.run(Map.of(), "standalone", "--grpc-host", "0.0.0.0", "--grpc-port", "0",
                "--tcp-port", "0", "--ws-port", "0");
        assertThat(open.exitCode()).isEqualTo(2);
        assertThat(open.err()).contains("grpcHost: 0.0.0.0 with no admin or push token", "--insecure-open");
    }
}
