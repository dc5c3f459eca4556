package io.frontier.edge.internal.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.DeliverReply;
import io.frontier.api.v1.DeliverRequest;
import io.frontier.api.v1.DeviceOutcome.Outcome;
import io.frontier.api.v1.Frame;
import io.frontier.api.v1.SendMessageRequest;
import io.frontier.device.TcpDeviceClient;
import io.frontier.edge.EdgeConfig;
import io.frontier.edge.EdgeFixture;
import io.frontier.edge.Tokens;
import io.frontier.edge.session.Session;
import io.frontier.protocol.StatusCode;
import io.grpc.Metadata;
import java.io.ByteArrayOutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** PROTOCOL.md section 2 against a real edge, with a client that can also misbehave. */
class WsEdgeTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private EdgeFixture fixture;

    @AfterEach
    void close() throws Exception {
        if (fixture != null) {
            fixture.close();
        }
    }

    private InetSocketAddress ws(EdgeConfig.Builder config) throws Exception {
        fixture = new EdgeFixture(config);
        return fixture.edge().wsAddress();
    }

    private InetSocketAddress ws() throws Exception {
        return ws(EdgeFixture.defaults());
    }

    private static RawWsClient online(InetSocketAddress server, String user, String device) throws Exception {
        RawWsClient client = RawWsClient.upgrade(server, "/ws?device_id=" + device,
                "Authorization: Bearer " + Tokens.valid(user, null));
        assertThat(client.httpStatus).as(client.httpHead).isEqualTo(101);
        Frame hello = frame(client.read());
        assertThat(hello.getMethod()).isEqualTo(WsMethod.HELLO);
        return client;
    }

    private static Frame frame(RawWsClient.Message message) throws Exception {
        assertThat(message.opcode()).isEqualTo(RawWsClient.BINARY);
        return Frame.parseFrom(message.payload());
    }

    private static String header(Frame frame, String key) {
        return frame.getHeadersList().stream().filter(h -> h.getKey().equals(key)).findFirst()
                .map(Frame.ExtendedEntry::getValue).orElse(null);
    }

    private static Frame.ExtendedEntry entry(String key, String value) {
        return Frame.ExtendedEntry.newBuilder().setKey(key).setValue(value).build();
    }

    @Test
    void upgradeWithoutToken_is401_andNoWebSocket() throws Exception {
        try (RawWsClient client = RawWsClient.upgrade(ws(), "/ws?device_id=d")) {
            assertThat(client.httpStatus).isEqualTo(401);
            assertThat(client.httpHead).doesNotContainIgnoringCase("Sec-WebSocket-Accept");
        }
    }

    @Test
    void upgradeWithExpiredOrForeignToken_is401() throws Exception {
        InetSocketAddress server = ws();
        try (RawWsClient expired = RawWsClient.upgrade(server, "/ws?device_id=d&token=" + Tokens.expired("alice"));
             RawWsClient foreign = RawWsClient.upgrade(server, "/ws?device_id=d&token="
                     + Tokens.signedWith("another-secret-of-at-least-32-bytes!!", "alice"))) {
            assertThat(expired.httpStatus).isEqualTo(401);
            assertThat(foreign.httpStatus).isEqualTo(401);
        }
        assertThat(fixture.events()).isEmpty();
    }

    @Test
    void upgradeWithoutDeviceId_is401_unlessTheTokenCarriesIt() throws Exception {
        InetSocketAddress server = ws();
        try (RawWsClient none = RawWsClient.upgrade(server, "/ws?token=" + Tokens.valid("alice", null));
             RawWsClient fromToken = RawWsClient.upgrade(server, "/ws?token=" + Tokens.valid("alice", "tab-1"))) {
            assertThat(none.httpStatus).isEqualTo(401);
            assertThat(fromToken.httpStatus).isEqualTo(101);
            assertThat(frame(fromToken.read()).getMethod()).isEqualTo(WsMethod.HELLO);
            await().atMost(WAIT).until(() -> fixture.edge().registry().size() == 1);
            fixture.edge().registry().forEach(s -> assertThat(s.deviceId()).isEqualTo("tab-1"));
        }
    }

    @Test
    void hello_isFirst_withConnIdUserAndPingInterval() throws Exception {
        InetSocketAddress server = ws();
        try (RawWsClient client = RawWsClient.upgrade(server, "/ws?token=" + Tokens.valid("alice", null) + "&device_id=phone")) {
            Frame hello = frame(client.read());
            assertThat(hello.getMethod()).isEqualTo(WsMethod.HELLO);
            assertThat(header(hello, "user_id")).isEqualTo("alice");
            assertThat(header(hello, "ping_interval_ms")).isEqualTo("30000");
            Session session = fixture.edge().registry().byConnId(header(hello, "conn_id"));
            assertThat(session.clientType()).isEqualTo(ClientType.CLIENT_TYPE_WS);
            assertThat(session.deviceId()).isEqualTo("phone");
        }
    }

    @Test
    void origin_notOnTheAllowList_is403() throws Exception {
        InetSocketAddress server = ws(EdgeFixture.defaults().allowedOrigins(java.util.List.of("https://app.example.com")));
        String token = "Authorization: Bearer " + Tokens.valid("alice", null);
        try (RawWsClient evil = RawWsClient.upgrade(server, "/ws?device_id=d", token, "Origin: https://evil.example.com");
             RawWsClient good = RawWsClient.upgrade(server, "/ws?device_id=d", token, "Origin: https://app.example.com")) {
            assertThat(evil.httpStatus).isEqualTo(403);
            assertThat(good.httpStatus).isEqualTo(101);
        }
    }

    @Test
    void jsonSubprotocol_speaksTextFramesInTheProtobufJsonMapping() throws Exception {
        InetSocketAddress server = ws();
        try (RawWsClient client = RawWsClient.upgrade(server, "/ws?device_id=d&token=" + Tokens.valid("alice", null),
                "Sec-WebSocket-Protocol: frontier.json")) {
            assertThat(client.httpHead).containsIgnoringCase("Sec-WebSocket-Protocol: frontier.json");
            RawWsClient.Message hello = client.read();
            assertThat(hello.opcode()).isEqualTo(RawWsClient.TEXT);
            Frame.Builder parsed = Frame.newBuilder();
            JsonFormat.parser().merge(new String(hello.payload(), StandardCharsets.UTF_8), parsed);
            String connId = header(parsed.build(), "conn_id");

            CompletableFuture<DeliverReply> pushed = fixture.edge().delivery().deliver(DeliverRequest.newBuilder()
                    .addConnIds(connId).setPayload(ByteString.copyFromUtf8("hi")).setPayloadType("text")
                    .setWaitAck(true).setAckTimeoutMs(5000).build());
            String push = new String(client.read().payload(), StandardCharsets.UTF_8);
            assertThat(push).contains("\"seqid\":\"1\"", "\"method\":2", "\"payload\":\"aGk=\"", "\"payloadType\":\"text\"");
            client.send(RawWsClient.TEXT, "{\"seqid\":\"1\",\"method\":3}".getBytes(StandardCharsets.UTF_8));
            assertThat(pushed.get(10, TimeUnit.SECONDS).getOutcomes(0).getOutcome()).isEqualTo(Outcome.ACKNOWLEDGED);
        }
    }

    @Test
    void push_isNumberedFrom1_andAckedBySeqid() throws Exception {
        InetSocketAddress server = ws();
        try (RawWsClient client = online(server, "alice", "phone")) {
            String connId = fixture.edge().registry().byUser("alice").get(0).connId();
            for (int seq = 1; seq <= 2; seq++) {
                CompletableFuture<DeliverReply> pushed = fixture.edge().delivery().deliver(DeliverRequest.newBuilder()
                        .addConnIds(connId).setPayload(ByteString.copyFromUtf8("p" + seq)).setLogid(77).setService(9)
                        .setWaitAck(true).setAckTimeoutMs(5000).build());
                Frame push = frame(client.read());
                assertThat(push.getMethod()).isEqualTo(WsMethod.PUSH);
                assertThat(push.getSeqid()).isEqualTo(seq);
                assertThat(push.getLogid()).isEqualTo(77);
                assertThat(push.getService()).isEqualTo(9);
                assertThat(push.getPayload().toStringUtf8()).isEqualTo("p" + seq);
                client.send(RawWsClient.BINARY, Frame.newBuilder().setMethod(WsMethod.ACK).setSeqid(seq).build().toByteArray());
                assertThat(pushed.get(10, TimeUnit.SECONDS).getOutcomes(0).getOutcome()).isEqualTo(Outcome.ACKNOWLEDGED);
            }
        }
    }

    @Test
    void sendMessage_reachesTheBackend_withLogidAndHeaders_andTheReplyKeepsTheSeqid() throws Exception {
        try (var backend = EdgeFixture.backend()) {
            InetSocketAddress server = ws(EdgeFixture.defaults().route(1001, backend.target()));
            try (RawWsClient client = online(server, "alice", "phone")) {
                client.send(RawWsClient.BINARY, Frame.newBuilder().setMethod(WsMethod.SEND_MESSAGE).setSeqid(42)
                        .setLogid(123456789L).setService(1001).addHeaders(entry("trace", "t-1"))
                        .setPayloadType("text").setPayload(ByteString.copyFromUtf8("ping")).build().toByteArray());
                Frame reply = frame(client.read());
                assertThat(reply.getMethod()).isEqualTo(WsMethod.SEND_MESSAGE);
                assertThat(reply.getSeqid()).isEqualTo(42);
                assertThat(header(reply, "status")).isEqualTo("200");
                assertThat(reply.getPayload().toStringUtf8()).isEqualTo("ping");

                SendMessageRequest seen = backend.received().get(0);
                assertThat(seen.getLogid()).isEqualTo(123456789L);
                assertThat(seen.getSeqid()).isEqualTo(42);
                assertThat(seen.getHeadersList()).containsExactly(entry("trace", "t-1"));
                assertThat(seen.getConnection().getClientType()).isEqualTo(ClientType.CLIENT_TYPE_WS);
                Metadata metadata = backend.metadata().get(0);
                assertThat(metadata.get(Metadata.Key.of("frontier-logid", Metadata.ASCII_STRING_MARSHALLER))).isEqualTo("123456789");
                assertThat(metadata.get(Metadata.Key.of("frontier-h-trace", Metadata.ASCII_STRING_MARSHALLER))).isEqualTo("t-1");
                assertThat(metadata.get(Metadata.Key.of("frontier-user-id", Metadata.ASCII_STRING_MARSHALLER))).isEqualTo("alice");

                client.send(RawWsClient.BINARY, Frame.newBuilder().setMethod(WsMethod.SEND_MESSAGE).setSeqid(43)
                        .setService(7).build().toByteArray());
                Frame missing = frame(client.read());
                assertThat(missing.getSeqid()).isEqualTo(43);
                assertThat(header(missing, "status")).isEqualTo("404");
            }
        }
    }

    @Test
    void messageOverTheLimit_closesWith1009() throws Exception {
        InetSocketAddress server = ws(EdgeFixture.defaults().maxWsMessage(2048));
        try (RawWsClient client = online(server, "alice", "phone")) {
            client.send(RawWsClient.BINARY, new byte[4096]);
            RawWsClient.Message close = client.read();
            assertThat(close.opcode()).isEqualTo(RawWsClient.CLOSE);
            assertThat(close.closeStatus()).isEqualTo(1009);
            assertThat(client.serverClosed()).isTrue();
        }
        await().atMost(WAIT).until(() -> fixture.events().size() == 2);
        assertThat(fixture.events().get(1)).endsWith(" 413");
    }

    @Test
    void undecodableFrame_getsBye400_thenClose1007() throws Exception {
        InetSocketAddress server = ws();
        try (RawWsClient client = online(server, "alice", "phone")) {
            client.send(RawWsClient.BINARY, new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff});
            Frame bye = frame(client.read());
            assertThat(bye.getMethod()).isEqualTo(WsMethod.BYE);
            assertThat(header(bye, "code")).isEqualTo("400");
            RawWsClient.Message close = client.read();
            assertThat(close.opcode()).isEqualTo(RawWsClient.CLOSE);
            assertThat(close.closeStatus()).isEqualTo(1007);
        }
    }

    @Test
    void textOnThePbSubprotocol_isUndecodable() throws Exception {
        InetSocketAddress server = ws();
        try (RawWsClient client = online(server, "alice", "phone")) {
            client.send(RawWsClient.TEXT, "{}".getBytes(StandardCharsets.UTF_8));
            assertThat(header(frame(client.read()), "code")).isEqualTo("400");
            assertThat(client.read().closeStatus()).isEqualTo(1007);
        }
    }

    @Test
    void serverOnlyMethodFromTheClient_getsBye400() throws Exception {
        InetSocketAddress server = ws();
        try (RawWsClient client = online(server, "alice", "phone")) {
            client.send(RawWsClient.BINARY, Frame.newBuilder().setMethod(WsMethod.PUSH).build().toByteArray());
            assertThat(header(frame(client.read()), "code")).isEqualTo("400");
            assertThat(client.read().closeStatus()).isEqualTo(1002);
        }
    }

    @Test
    void clientPings_getPongsWithTheirData() throws Exception {
        InetSocketAddress server = ws();
        try (RawWsClient client = online(server, "alice", "phone")) {
            client.send(RawWsClient.PING, "are you there".getBytes(StandardCharsets.UTF_8));
            RawWsClient.Message next = client.read();
            assertThat(next.opcode()).isEqualTo(RawWsClient.PONG);
            assertThat(new String(next.payload(), StandardCharsets.UTF_8)).isEqualTo("are you there");
            assertThat(fixture.edge().registry().size()).isEqualTo(1);
        }
    }

    @Test
    void deviceMovingFromTcpToWebSocket_replacesTheTcpConnectionWith409() throws Exception {
        InetSocketAddress server = ws();
        TcpDeviceClient tcp = fixture.connectTcp();
        tcp.hello(Tokens.valid("alice", null), "phone-1", "").orTimeout(10, TimeUnit.SECONDS).join();
        try (RawWsClient client = online(server, "alice", "phone-1")) {
            assertThat(tcp.byeReceived().orTimeout(10, TimeUnit.SECONDS).join().getCode()).isEqualTo(StatusCode.REPLACED);
            await().atMost(WAIT).until(() -> fixture.edge().registry().size() == 1);
            assertThat(fixture.edge().registry().byUser("alice").get(0).clientType()).isEqualTo(ClientType.CLIENT_TYPE_WS);
        }
    }

    @Test
    void clientBye_closesNormally_andReportsItsCode() throws Exception {
        InetSocketAddress server = ws();
        try (RawWsClient client = online(server, "alice", "phone")) {
            client.send(RawWsClient.BINARY, Frame.newBuilder().setMethod(WsMethod.BYE)
                    .addHeaders(entry("code", "200")).addHeaders(entry("reason", "leaving")).build().toByteArray());
            assertThat(client.read().closeStatus()).isEqualTo(1000);
        }
        await().atMost(WAIT).until(() -> fixture.events().size() == 2);
        assertThat(fixture.events().get(1)).endsWith(" 200");
    }

    @Test
    void drain_closesWebSocketDevicesWith503_refusesUpgrades_andUndrainAcceptsAgain() throws Exception {
        InetSocketAddress server = ws();
        try (RawWsClient client = online(server, "alice", "phone")) {
            fixture.edge().admin().drain(io.frontier.api.v1.DrainEdgeRequest.newBuilder().setWindowMs(0).build());
            assertThat(header(frame(client.read()), "code")).isEqualTo("503");
            assertThat(client.read().closeStatus()).isEqualTo(1001);
        }
        try (RawWsClient refused = RawWsClient.upgrade(server, "/ws?device_id=d&token=" + Tokens.valid("bob", null))) {
            assertThat(refused.httpStatus).isEqualTo(503);
        }
        fixture.edge().admin().undrain();
        try (RawWsClient again = online(server, "bob", "phone")) {
            assertThat(fixture.edge().registry().byUser("bob")).hasSize(1);
        }
    }

    @Test
    void kick_sendsBye410() throws Exception {
        InetSocketAddress server = ws();
        try (RawWsClient client = online(server, "alice", "phone")) {
            String connId = fixture.edge().registry().byUser("alice").get(0).connId();
            fixture.edge().delivery().kick(io.frontier.api.v1.KickRequest.newBuilder().setConnId(connId).setCode(410).build());
            assertThat(header(frame(client.read()), "code")).isEqualTo("410");
            assertThat(client.read().closeStatus()).isEqualTo(1008);
        }
    }

    @Test
    void deflateBomb_isRefusedAsTooLarge_whenCompressionIsOn() throws Exception {
        InetSocketAddress server = ws(EdgeFixture.defaults().wsCompression(true).maxWsMessage(4096));
        try (RawWsClient client = RawWsClient.upgrade(server, "/ws?device_id=d&token=" + Tokens.valid("alice", null),
                "Sec-WebSocket-Extensions: permessage-deflate")) {
            assertThat(client.httpHead).containsIgnoringCase("permessage-deflate");
            // The HELLO itself comes compressed: only its arrival matters here.
            assertThat(client.read().opcode()).isEqualTo(RawWsClient.BINARY);
            byte[] bomb = deflate(new byte[1 << 20]);
            assertThat(bomb.length).isLessThan(4096);
            client.send(RawWsClient.BINARY, bomb, true);
            RawWsClient.Message close = client.read();
            while (close.opcode() != RawWsClient.CLOSE) {
                close = client.read();
            }
            assertThat(close.closeStatus()).isEqualTo(1009);
            assertThat(client.serverClosed()).isTrue();
        }
    }

    @Test
    void invalidDeflateData_isRefusedAsUnreadable_notAsTooLarge() throws Exception {
        InetSocketAddress server = ws(EdgeFixture.defaults().wsCompression(true).maxWsMessage(4096));
        try (RawWsClient client = RawWsClient.upgrade(server, "/ws?device_id=d&token=" + Tokens.valid("alice", null),
                "Sec-WebSocket-Extensions: permessage-deflate")) {
            assertThat(client.read().opcode()).isEqualTo(RawWsClient.BINARY);
            // A deflate block of type 3, which RFC 1951 reserves: no inflater reads past it.
            client.send(RawWsClient.BINARY, new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x00, 0x01}, true);
            RawWsClient.Message close = client.read();
            while (close.opcode() != RawWsClient.CLOSE) {
                close = client.read();
            }
            assertThat(close.closeStatus()).isEqualTo(1007);
            assertThat(client.serverClosed()).isTrue();
        }
    }

    @Test
    void compressionIsOffByDefault() throws Exception {
        InetSocketAddress server = ws();
        try (RawWsClient client = RawWsClient.upgrade(server, "/ws?device_id=d&token=" + Tokens.valid("alice", null),
                "Sec-WebSocket-Extensions: permessage-deflate")) {
            assertThat(client.httpStatus).isEqualTo(101);
            assertThat(client.httpHead).doesNotContainIgnoringCase("permessage-deflate");
        }
    }

    @Test
    void rootServesTheBrowserPage_andOtherPathsAre404() throws Exception {
        InetSocketAddress server = ws();
        HttpURLConnection page = (HttpURLConnection) URI.create("http://127.0.0.1:" + server.getPort() + "/").toURL().openConnection();
        assertThat(page.getResponseCode()).isEqualTo(200);
        assertThat(page.getContentType()).startsWith("text/html");
        assertThat(new String(page.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("frontier.json");
        HttpURLConnection missing = (HttpURLConnection) URI.create("http://127.0.0.1:" + server.getPort() + "/nope").toURL().openConnection();
        assertThat(missing.getResponseCode()).isEqualTo(404);
        HttpURLConnection plainGet = (HttpURLConnection) URI.create("http://127.0.0.1:" + server.getPort() + "/ws").toURL().openConnection();
        assertThat(plainGet.getResponseCode()).isEqualTo(400);
    }

    @Test
    void oversizedUpgradeRequest_isRefusedBeforeAnyWebSocket() throws Exception {
        InetSocketAddress server = ws();
        try (RawWsClient client = RawWsClient.upgrade(server, "/ws?device_id=d&token=" + Tokens.valid("alice", null),
                "X-Padding: " + "x".repeat(20_000))) {
            assertThat(client.httpStatus).isIn(400, 413, 431);
            assertThat(client.serverClosed()).isTrue();
        }
        assertThat(fixture.events()).isEmpty();
    }

    private static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION, true);
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[4096];
        while (!deflater.finished()) {
            out.write(buffer, 0, deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH));
        }
        deflater.end();
        byte[] bytes = out.toByteArray();
        // permessage-deflate drops the empty stored block that ends a sync flush.
        return bytes.length >= 4 && bytes[bytes.length - 1] == (byte) 0xff ? Arrays.copyOf(bytes, bytes.length - 4) : bytes;
    }
}
