package io.frontier.acceptance;

import static io.frontier.acceptance.WsDevice.JSON;
import static io.frontier.acceptance.WsDevice.NONE;
import static io.frontier.acceptance.WsDevice.PB;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * PROTOCOL.md section 2 (smartphones, browsers), rule by rule and on both sub-protocols, against
 * {@code bin/frontier standalone} of the distribution, from a Node {@code ws} device ({@link WsDevice})
 * that shares no code with the server; pushes come from {@code bin/frontier ctl push}, upstream messages
 * go to {@code bin/frontier example-backend}.
 */
class WebSocketProtocolIT {
    private static final int SERVICE = 1001;
    private static final int MAX_MESSAGE = 4096;
    private static final String ALLOWED_ORIGIN = "https://app.example";
    private static final int PUSH = 2;
    private static final int HELLO = 4;
    private static FrontierNode backend;
    private static StandaloneGateway gateway;

    private final List<AutoCloseable> opened = new ArrayList<>();

    @BeforeAll
    static void start() {
        int backendPort = Ports.free();
        backend = FrontierNode.exampleBackend("example-backend", backendPort);
        // one gateway for all: devices without an Origin header (not browsers) are not subject to the list
        gateway = StandaloneGateway.start("--route", SERVICE + "=127.0.0.1:" + backendPort,
                "--allowed-origin", ALLOWED_ORIGIN, "--max-ws-message", "" + MAX_MESSAGE);
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (backend != null) {
            backend.close();
        }
    }

    @AfterEach
    void closeDevices() throws Exception {
        for (AutoCloseable device : opened) {
            device.close();
        }
    }

    private WsDevice.Builder device(String subprotocol, String user, String device) {
        return WsDevice.to(gateway.wsPort()).subprotocol(subprotocol).token(gateway.token(user, device))
                .deviceId(device);
    }

    private WsDevice start(WsDevice.Builder builder) {
        WsDevice device = builder.start();
        opened.add(device);
        return device;
    }

    /** A device past its HELLO. */
    private WsDevice online(String subprotocol, String user, String device) {
        WsDevice d = start(device(subprotocol, user, device));
        d.awaitHello();
        return d;
    }

    private static String user(String name, String subprotocol) {
        return name + "-" + subprotocol.replace("frontier.", "");
    }

    @ParameterizedTest
    @ValueSource(strings = {PB, JSON})
    void upgrade_negotiatesTheSubprotocol_thenHelloIsTheFirstFrame_withConnIdUserIdPingInterval(String subprotocol) {
        String user = user("ws-ann", subprotocol);
        WsDevice device = start(device(subprotocol, user, "phone-1"));
        JsonObject open = device.next();
        assertThat(open.get("event").getAsString()).as("%s", device).isEqualTo("open");
        assertThat(open.get("status").getAsInt()).isEqualTo(101);
        assertThat(open.get("protocol").getAsString()).isEqualTo(subprotocol);
        JsonObject hello = device.next();
        assertThat(hello.get("event").getAsString()).as("the first frame; %s", device).isEqualTo("hello");
        assertThat(hello.get("method").getAsInt()).isEqualTo(HELLO);
        JsonObject headers = hello.getAsJsonObject("headers");
        assertThat(headers.get("conn_id").getAsString()).matches("[0-9a-f]{28}");
        assertThat(headers.get("user_id").getAsString()).isEqualTo(user);
        assertThat(headers.get("ping_interval_ms").getAsString()).isEqualTo("30000");
    }

    @Test
    void noSubprotocolOffered_isFrontierPb() {
        WsDevice device = start(device(NONE, "ws-bea", "phone-1"));
        JsonObject open = device.next();
        assertThat(open.get("event").getAsString()).as("%s", device).isEqualTo("open");
        assertThat(open.has("protocol") && !open.get("protocol").isJsonNull())
                .as("the server names no sub-protocol when none was offered: %s", open).isFalse();
        // ws-device.mjs decodes binary protobuf when it offered none: a HELLO here is frontier.pb
        assertThat(device.next().get("event").getAsString()).as("%s", device).isEqualTo("hello");
    }

    /**
     * A shipped bug: gson was missing from the distribution's lib/, and a frontier.json session hung after
     * the 101 with the socket open, never getting its HELLO. The HELLO must come within seconds.
     */
    @Test
    void frontierJsonDevice_getsItsHelloWithinSeconds_regressionForGsonMissingFromTheDistribution() {
        WsDevice device = start(device(JSON, "ws-cy", "phone-1"));
        assertThat(device.await("open").get("protocol").getAsString()).isEqualTo(JSON);
        JsonObject hello = device.await("hello", Duration.ofSeconds(5));
        assertThat(hello.getAsJsonObject("headers").get("user_id").getAsString()).isEqualTo("ws-cy");
        assertThat(gateway.node().output()).as("the gateway's log").doesNotContain("NoClassDefFoundError");
    }

    @ParameterizedTest
    @ValueSource(strings = {PB, JSON})
    void push_arrivesAsPushSeqid1_thenSeqid2_andTheAckMakesCtlPrintAcknowledged(String subprotocol) {
        String user = user("ws-dan", subprotocol);
        WsDevice device = start(device(subprotocol, user, "phone-1"));
        String connId = device.awaitHello().get("conn_id").getAsString();
        for (int n = 1; n <= 2; n++) {
            String text = "push " + n + " ✓ 日本";
            CompletableFuture<Ctl.Result> push = CompletableFuture.supplyAsync(() -> gateway.ctl("push",
                    "--target", gateway.grpcTarget(), "--user", user, "--text", text, "--wait-ack"));
            JsonObject frame = device.next();
            assertThat(frame.get("event").getAsString()).as("%s", device).isEqualTo("push");
            assertThat(frame.get("method").getAsInt()).isEqualTo(PUSH);
            assertThat(frame.get("seqid").getAsString()).isEqualTo("" + n);
            assertThat(frame.get("payload").getAsString()).isEqualTo(text);
            device.ack(frame.get("seqid").getAsString());
            Ctl.Result result = push.join();
            assertThat(result.exit()).as("%s", result).isZero();
            assertThat(result.out()).containsPattern(user + "\\s+phone-1\\s+ws\\s+" + connId + "\\s+acknowledged");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {PB, JSON})
    void sendMessage_toTheRoutedBackend_is200WithThePayload_andAnUnroutedService404(String subprotocol) {
        WsDevice device = online(subprotocol, user("ws-eve", subprotocol), "phone-1");
        device.sendMessage(SERVICE, 7, "hi backend ✓", Map.of("trace", "t-1"));
        JsonObject reply = device.next();
        assertThat(reply.get("event").getAsString()).as("%s", device).isEqualTo("reply");
        assertThat(reply.get("seqid").getAsString()).isEqualTo("7");
        assertThat(reply.get("method").getAsInt()).isEqualTo(1);
        assertThat(reply.get("status").getAsString()).isEqualTo("200");
        assertThat(reply.get("payload").getAsString()).isEqualTo("hi backend ✓");
        assertThat(reply.getAsJsonObject("headers").get("echo").getAsString())
                .as("the example backend's header").isEqualTo("true");

        device.sendMessage(4242, 8, "nobody", Map.of());
        JsonObject unrouted = device.next();
        assertThat(unrouted.get("seqid").getAsString()).as("%s", device).isEqualTo("8");
        assertThat(unrouted.get("status").getAsString()).isEqualTo("404");
    }

    @Test
    void badOrMissingToken_isHttp401_andNoWebSocket() {
        WsDevice wrongSecret = start(WsDevice.to(gateway.wsPort()).subprotocol(PB)
                .token(Jwt.mint("another-secret-of-at-least-32-bytes!!", "mallory", "m-1")).deviceId("m-1"));
        WsDevice garbage = start(WsDevice.to(gateway.wsPort()).subprotocol(JSON).token("not-a-jwt").tokenInQuery()
                .deviceId("m-1"));
        WsDevice expired = start(WsDevice.to(gateway.wsPort()).subprotocol(JSON)
                .token(Jwt.mint(StandaloneGateway.SECRET, "mallory", "m-1", Instant.now().minusSeconds(60)))
                .deviceId("m-1"));
        WsDevice missing = start(WsDevice.to(gateway.wsPort()).subprotocol(PB).deviceId("m-1"));
        for (WsDevice device : List.of(wrongSecret, garbage, expired, missing)) {
            JsonObject refused = device.next();
            assertThat(refused.get("event").getAsString()).as("%s", device).isEqualTo("http-error");
            assertThat(refused.get("status").getAsInt()).as("%s", device).isEqualTo(401);
            assertThat(device.awaitExit()).as("%s", device).isZero();
        }
    }

    @Test
    void tokenInTheQueryParameter_isAccepted() {
        WsDevice device = start(WsDevice.to(gateway.wsPort()).subprotocol(JSON).token(gateway.token("ws-fay", "b-1"))
                .tokenInQuery().deviceId("b-1"));
        assertThat(device.awaitHello().get("user_id").getAsString()).isEqualTo("ws-fay");
    }

    @Test
    void originNotOnTheAllowedList_isHttp403_andAnAllowedOneConnects() {
        WsDevice foreign = start(device(JSON, "ws-gus", "b-1").origin("https://evil.example"));
        JsonObject refused = foreign.next();
        assertThat(refused.get("event").getAsString()).as("%s", foreign).isEqualTo("http-error");
        assertThat(refused.get("status").getAsInt()).isEqualTo(403);
        assertThat(foreign.awaitExit()).isZero();

        WsDevice allowed = start(device(JSON, "ws-gus", "b-1").origin(ALLOWED_ORIGIN));
        assertThat(allowed.awaitHello().get("user_id").getAsString()).isEqualTo("ws-gus");
    }

    @ParameterizedTest
    @ValueSource(strings = {PB, JSON})
    void messageOverMaxWsMessage_closesWith1009(String subprotocol) {
        WsDevice device = online(subprotocol, user("ws-hal", subprotocol), "phone-1");
        device.rawOfSize(MAX_MESSAGE + 1, subprotocol.equals(PB));
        device.expectClose(1009);
    }

    @ParameterizedTest
    @ValueSource(strings = {PB, JSON})
    void messageThatDoesNotDecodeAsFrame_isBye400_thenClose1007(String subprotocol) {
        WsDevice device = online(subprotocol, user("ws-ivy", subprotocol), "phone-1");
        if (subprotocol.equals(PB)) {
            // field 1 as a varint whose bytes never end
            device.rawBinary(new byte[] {0x08, (byte) 0xff, (byte) 0xff, (byte) 0xff});
        } else {
            device.rawText("{\"seqid\": ");
        }
        device.expectByeAndClose(400, 1007);
    }

    @ParameterizedTest
    @ValueSource(strings = {PB, JSON})
    void messageOfTheOtherType_textOnPb_binaryOnJson_isBye400_thenClose1007(String subprotocol) {
        WsDevice device = online(subprotocol, user("ws-jo", subprotocol), "phone-1");
        String validJson = "{\"seqid\":\"1\",\"method\":3}";
        if (subprotocol.equals(PB)) {
            device.rawText(validJson);
        } else {
            device.rawBinary(validJson.getBytes(StandardCharsets.UTF_8));
        }
        device.expectByeAndClose(400, 1007);
    }

    @ParameterizedTest
    @CsvSource({PB + ",2", PB + ",4", JSON + ",2", JSON + ",4"})
    void serverOnlyMethodFromTheDevice_pushOrHello_isBye400_thenClose1002(String subprotocol, int method) {
        WsDevice device = online(subprotocol, user("ws-kai-" + method, subprotocol), "phone-1");
        device.frame(Map.of("method", method, "seqid", "1"));
        device.expectByeAndClose(400, 1002);
    }

    @ParameterizedTest
    @ValueSource(strings = {PB, JSON})
    void clientPing_getsAPong(String subprotocol) {
        WsDevice device = online(subprotocol, user("ws-lee", subprotocol), "phone-1");
        device.ping("are you there");
        JsonObject pong = device.next();
        assertThat(pong.get("event").getAsString()).as("%s", device).isEqualTo("pong");
        assertThat(pong.get("data").getAsString()).isEqualTo("are you there");
    }

    @ParameterizedTest
    @ValueSource(strings = {PB, JSON})
    void clientBye_closesTheConnection(String subprotocol) {
        WsDevice device = online(subprotocol, user("ws-max", subprotocol), "phone-1");
        device.bye(200, "done");
        device.expectClose(1000);
        assertThat(device.awaitExit()).isZero();
    }

    @ParameterizedTest
    @ValueSource(strings = {PB, JSON})
    void sameDeviceOnTcpThenWebSocket_replacesTheTcpConnectionWithBye409(String subprotocol) {
        String user = user("ws-ned", subprotocol);
        try (RawTcpDevice phone = RawTcpDevice.online(gateway.tcpPort(), gateway.token(user, "dual-1"), "dual-1")) {
            online(subprotocol, user, "dual-1");
            phone.expectByeAndClose(409);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {PB, JSON})
    void sameDeviceOnWebSocketThenTcp_replacesTheWebSocketWithBye409_thenClose1008(String subprotocol) {
        String user = user("ws-olu", subprotocol);
        WsDevice device = online(subprotocol, user, "dual-2");
        try (RawTcpDevice phone = RawTcpDevice.online(gateway.tcpPort(), gateway.token(user, "dual-2"), "dual-2")) {
            device.expectByeAndClose(409, 1008);
            phone.send(RawTcpDevice.PING, 3, new byte[0]);
            assertThat(phone.next().cmd()).as("the TCP connection stays").isEqualTo(RawTcpDevice.PING);
        }
    }
}
