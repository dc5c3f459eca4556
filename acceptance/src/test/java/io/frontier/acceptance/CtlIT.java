package io.frontier.acceptance;

import static io.frontier.acceptance.RawTcpDevice.ACK;
import static io.frontier.acceptance.RawTcpDevice.PUSH;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import io.frontier.acceptance.RawTcpDevice.Frame;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every {@code bin/frontier ctl} subcommand of the distribution against a standalone gateway that requires
 * both API tokens: its table, its {@code -o json}, and the exit codes its help documents (0 done, 1 nothing
 * to do, 2 usage or rejected, 3 unreachable, 4 token refused).
 */
class CtlIT {
    private static final String PUSH_TOKEN = "push-token-of-the-acceptance-suite";
    private static final String ADMIN_TOKEN = "admin-token-of-the-acceptance-suite";
    private static StandaloneGateway gateway;
    private static Map<String, String> env;
    private static String target;

    @BeforeAll
    static void start() {
        gateway = StandaloneGateway.start(Map.of("FRONTIER_PUSH_TOKEN", PUSH_TOKEN, "FRONTIER_ADMIN_TOKEN", ADMIN_TOKEN));
        env = gateway.env();
        target = gateway.grpcTarget();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private static Ctl.Result ctl(String... args) {
        return Ctl.run(env, args);
    }

    private static JsonObject json(Ctl.Result result) {
        assertThat(result.out()).as("%s", result).startsWith("{");
        return JsonParser.parseString(result.out()).getAsJsonObject();
    }

    private static RawTcpDevice online(String user, String device) {
        return RawTcpDevice.online(gateway.tcpPort(), gateway.token(user, device), device);
    }

    @Test
    void help_listsEveryCommand_andVersionNamesTheCommit() {
        Ctl.Result help = ctl("--help");
        assertThat(help.exit()).isZero();
        assertThat(help.out()).contains("token", "push", "broadcast", "device", "user", "conns", "kick", "edges",
                "drain", "undrain", "routes", "completion");
        Ctl.Result version = ctl("--version");
        assertThat(version.exit()).isZero();
        assertThat(version.out()).matches("frontier ctl \\S+ \\(commit [0-9a-f]{12}(-dirty)?\\)\\R");
        assertThat(ctl("no-such-command").exit()).isEqualTo(2);
    }

    @Test
    void token_mintsAJwt_andRefusesATtlOver30Days() {
        Ctl.Result token = ctl("token", "--user", "ctl-alice", "--device", "phone-1");
        assertThat(token.exit()).isZero();
        assertThat(token.out().strip()).matches("[\\w-]+\\.[\\w-]+\\.[\\w-]+");
        try (RawTcpDevice device = RawTcpDevice.connect(gateway.tcpPort())) {
            assertThat(device.hello(token.out().strip(), "phone-1").cmd()).isEqualTo(RawTcpDevice.HELLO);
        }
        Ctl.Result tooLong = ctl("token", "--user", "ctl-alice", "--ttl", "40d");
        assertThat(tooLong.exit()).isEqualTo(2);
        assertThat(tooLong.err()).contains("at most 30d").hasLineCount(2);
    }

    @Test
    void push_tableJsonAndExitCodes() {
        try (RawTcpDevice device = online("ctl-bob", "phone-1").autoAck()) {
            Ctl.Result table = ctl("push", "--target", target, "--user", "ctl-bob", "--text", "one", "--wait-ack");
            assertThat(table.exit()).as("%s", table).isZero();
            assertThat(table.out()).containsPattern("ctl-bob\\s+phone-1\\s+tcp\\s+[0-9a-f]{28}\\s+acknowledged");

            Ctl.Result json = ctl("push", "--target", target, "--user", "ctl-bob", "--text", "two", "-o", "json");
            assertThat(json.exit()).as("%s", json).isZero();
            assertThat(json(json).getAsJsonArray("outcomes").get(0).getAsJsonObject().get("outcome").getAsString())
                    .isEqualTo("DELIVERED");
        }
        Ctl.Result offline = ctl("push", "--target", target, "--user", "ctl-nobody", "--text", "hi");
        assertThat(offline.exit()).isEqualTo(1);
        assertThat(offline.out() + offline.err()).contains("ctl-nobody has no online device");
        assertThat(ctl("push", "--target", target, "--text", "no target").exit()).as("usage").isEqualTo(2);
        assertThat(ctl("push", "--target", "127.0.0.1:" + Ports.free(), "--user", "u", "--text", "x").exit())
                .as("unreachable").isEqualTo(3);
        Map<String, String> wrong = new HashMap<>(env);
        wrong.put("FRONTIER_PUSH_TOKEN", "not-the-token");
        Ctl.Result refused = Ctl.run(wrong, "push", "--target", target, "--user", "u", "--text", "x");
        assertThat(refused.exit()).as("%s", refused).isEqualTo(4);
        Map<String, String> adminOnly = new HashMap<>(env);
        adminOnly.put("FRONTIER_PUSH_TOKEN", ADMIN_TOKEN);
        assertThat(Ctl.run(adminOnly, "push", "--target", target, "--user", "u", "--text", "x").exit())
                .as("the admin token opens no push").isEqualTo(4);
    }

    @Test
    void pushToSeveralUsers_isOnePushManyCall_everyUserOnItsLines() {
        try (RawTcpDevice bob = online("ctl-group-bob", "phone-1").autoAck();
             RawTcpDevice carol = online("ctl-group-carol", "phone-2").autoAck()) {
            Ctl.Result group = ctl("push", "--target", target, "--user", "ctl-group-bob", "--user", "ctl-group-nobody",
                    "--user", "ctl-group-carol", "--text", "hi, group", "--wait-ack");
            assertThat(group.exit()).as("%s", group).isZero();
            assertThat(group.out().lines().toList()).hasSize(3);
            assertThat(group.out()).containsPattern("ctl-group-bob\s+phone-1\s+tcp\s+[0-9a-f]{28}\s+acknowledged")
                    .containsPattern("ctl-group-nobody\s+-\s+-\s+-\s+offline\s+no device online")
                    .containsPattern("ctl-group-carol\s+phone-2\s+tcp\s+[0-9a-f]{28}\s+acknowledged");
            assertThat(bob.pushes()).containsExactly("hi, group");
            assertThat(carol.pushes()).containsExactly("hi, group");
        }
        Ctl.Result twice = ctl("push", "--target", target, "--user", "u1", "--user", "u1", "--text", "x");
        assertThat(twice.exit()).as("the gateway refused the call: %s", twice).isEqualTo(3);
        assertThat(twice.err()).contains("users[1].user_id: \"u1\" (expected: each user once)");
        assertThat(ctl("push", "--target", target, "--user", "u1", "--user", "u2", "--device", "d", "--text", "x")
                .exit()).as("--device with several users").isEqualTo(2);
    }

    @Test
    void ctlPointedAtADevicePort_saysSo() {
        Ctl.Result result = ctl("push", "--target", "127.0.0.1:" + gateway.tcpPort(), "--user", "u", "--text", "x");
        assertThat(result.exit()).as("%s", result).isEqualTo(3);
        assertThat(result.err()).doesNotContain("http2 exception").contains("gRPC");
        Ctl.Result ws = ctl("user", "--target", "127.0.0.1:" + gateway.wsPort(), "u");
        assertThat(ws.exit()).as("%s", ws).isEqualTo(3);
        assertThat(ws.err()).doesNotContain("http2 exception").contains("gRPC");
    }

    @Test
    void broadcast_tableAndJson() {
        try (RawTcpDevice device = online("ctl-carol", "phone-1").autoAck()) {
            Ctl.Result table = ctl("broadcast", "--target", target, "--text", "to all");
            assertThat(table.exit()).as("%s", table).isZero();
            assertThat(table.out()).containsPattern("edge-1\\s+[1-9]\\d*\\s+0\\s+0\\s+-").contains("written");
            Ctl.Result json = ctl("broadcast", "--target", target, "--client-type", "tcp", "--text", "tcp only",
                    "-o", "json");
            assertThat(json.exit()).as("%s", json).isZero();
            assertThat(json(json).toString()).contains("\"edgeId\":\"edge-1\"", "written");
        }
    }

    @Test
    void device_playsAFeaturePhone_untilCount() {
        String token = gateway.token("ctl-dan", "phone-1");
        CompletableFuture<Ctl.Result> device = CompletableFuture.supplyAsync(() -> ctl("device",
                "--target", "127.0.0.1:" + gateway.tcpPort(), "--device", "phone-1", "--token", token, "--count", "1"));
        org.awaitility.Awaitility.await("ctl device online").atMost(java.time.Duration.ofSeconds(30))
                .until(() -> ctl("user", "--target", target, "ctl-dan").exit() == 0);
        Ctl.Result push = ctl("push", "--target", target, "--user", "ctl-dan", "--text", "for the device", "--wait-ack");
        assertThat(push.out()).as("%s", push).contains("acknowledged");
        Ctl.Result result = device.join();
        assertThat(result.exit()).as("%s", result).isZero();
        assertThat(result.out()).containsPattern("connected as ctl-dan conn [0-9a-f]{28}")
                .contains("push seq=1: for the device");
        Ctl.Result refused = ctl("device", "--target", "127.0.0.1:" + gateway.tcpPort(), "--device", "phone-1",
                "--token", "not-a-token");
        assertThat(refused.exit()).as("%s", refused).isEqualTo(1);
        assertThat(ctl("device", "--target", "127.0.0.1:" + Ports.free(), "--device", "d", "--token", token).exit())
                .isEqualTo(3);
    }

    @Test
    void userConnsKick_tablesJsonAndExitCodes() {
        try (RawTcpDevice device = online("ctl-erin", "phone-1")) {
            Ctl.Result user = ctl("user", "--target", target, "ctl-erin");
            assertThat(user.exit()).as("%s", user).isZero();
            assertThat(user.out()).containsPattern("tcp\\s+phone-1\\s+[0-9a-f]{28}\\s+edge-1\\s+127\\.0\\.0\\.1:\\d+");
            assertThat(json(ctl("user", "--target", target, "ctl-erin", "-o", "json")).toString())
                    .contains("\"deviceId\":\"phone-1\"");
            assertThat(ctl("user", "--target", target, "ctl-nobody").exit()).isEqualTo(1);

            Ctl.Result conns = ctl("conns", "--target", target, "edge-1", "--user", "ctl-erin");
            assertThat(conns.exit()).as("%s", conns).isZero();
            assertThat(conns.out()).contains("ctl-erin", "phone-1");
            Ctl.Result all = ctl("conns", "--target", target, "edge-1", "--all", "--page-size", "1", "-o", "json");
            assertThat(all.exit()).as("%s", all).isZero();
            assertThat(ctl("conns", "--target", target, "edge-9").exit()).as("no such edge").isEqualTo(1);
            assertThat(ctl("conns", "--target", target, "edge-1", "--page-size", "5000").exit()).isEqualTo(2);

            Ctl.Result kick = ctl("kick", "--target", target, "--user", "ctl-erin", "--reason", "acceptance");
            assertThat(kick.exit()).as("%s", kick).isZero();
            assertThat(kick.out()).containsPattern("kicked\\s+ctl-erin\\s+phone-1\\s+tcp");
            assertThat(device.expectByeAndClose(410)).contains("acceptance");
            assertThat(ctl("kick", "--target", target, "--user", "ctl-erin").exit()).as("nothing to kick").isEqualTo(1);
        }
        Map<String, String> wrong = new HashMap<>(env);
        wrong.put("FRONTIER_ADMIN_TOKEN", PUSH_TOKEN);
        assertThat(Ctl.run(wrong, "user", "--target", target, "ctl-erin").exit()).as("the push token opens no admin call")
                .isEqualTo(4);
    }

    @Test
    void edgesDrainUndrain_aDrainingEdgeAnswersHelloWithBye503() {
        Ctl.Result edges = ctl("edges", "--target", target);
        assertThat(edges.exit()).as("%s", edges).isZero();
        assertThat(edges.out()).containsPattern("edge-1\\s+active\\s+\\d+");
        assertThat(json(ctl("edges", "--target", target, "-o", "json")).toString()).contains("\"edgeId\":\"edge-1\"");
        try {
            Ctl.Result drain = ctl("drain", "--target", target, "edge-1", "--window", "0s");
            assertThat(drain.exit()).as("%s", drain).isZero();
            assertThat(ctl("edges", "--target", target).out()).containsPattern("edge-1\\s+draining");
            try (RawTcpDevice device = RawTcpDevice.connect(gateway.tcpPort())) {
                Frame bye = device.hello(gateway.token("ctl-fay", "phone-1"), "phone-1");
                assertThat(bye.cmd()).as("a draining edge answers the Hello").isEqualTo(RawTcpDevice.BYE);
                assertThat(bye.byeCode()).isEqualTo(503);
                device.expectClosed();
            }
            assertThat(ctl("drain", "--target", target, "edge-9").exit()).as("no such edge").isEqualTo(1);
            assertThat(ctl("drain", "--target", target, "edge-1", "--window", "2h").exit()).isEqualTo(2);
        } finally {
            assertThat(ctl("undrain", "--target", target, "edge-1").exit()).isZero();
        }
        try (RawTcpDevice device = online("ctl-fay", "phone-1")) {
            device.send(RawTcpDevice.PING, 2, new byte[0]);
            assertThat(device.next().cmd()).isEqualTo(RawTcpDevice.PING);
        }
    }

    @Test
    void routes_setListDelete_withTargetBeforeOrAfterTheSubcommand_andTimeoutsAsGiven() {
        Ctl.Result set = ctl("routes", "--target", target, "set", "1001", "127.0.0.1:7999,timeout=2s");
        assertThat(set.exit()).as("--target before the subcommand: %s", set).isZero();
        Ctl.Result list = ctl("routes", "list", "--target", target);
        assertThat(list.exit()).as("%s", list).isZero();
        assertThat(list.out()).containsPattern("1001\\s+127\\.0\\.0\\.1:7999,timeout=2s");
        Ctl.Result json = ctl("routes", "--target", target, "-o", "json");
        assertThat(json.exit()).as("%s", json).isZero();
        assertThat(json.out()).contains("127.0.0.1:7999,timeout=2s").doesNotContain("\\u003d").doesNotContain("2000ms");
        assertThat(ctl("routes", "delete", "1001", "--target", target).exit()).isZero();
        assertThat(ctl("routes", "--target", target, "delete", "1001").exit()).as("no such route").isEqualTo(1);
        assertThat(ctl("routes", "--target", target, "set", "1001", "no-port").exit()).isEqualTo(2);
    }

    @Test
    void completion_printsABashScript() {
        Ctl.Result completion = ctl("completion");
        assertThat(completion.exit()).isZero();
        assertThat(completion.out()).startsWith("#!/usr/bin/env bash").contains("complete ");
    }
}
