package io.frontier.acceptance;

import static io.frontier.acceptance.RawTcpDevice.HELLO_X;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PROTOCOL.md 1.6, the TCP protocol's encrypted session (HelloX: a Noise NK handshake that carries nothing, then the
 * session of 1.3, Hello first, in sealed frames), against {@code bin/frontier standalone --hellox-key} of the
 * distribution, from {@code src/test/node/hellox-device.mjs}: a feature phone that does the handshake and the sealing
 * with {@code node:crypto} alone and shares no code with the server. The same script recomputes the spec's test
 * vectors, which are read from PROTOCOL.md itself. Raw sockets and a recording relay play the replayer.
 */
class HelloXIT {
    private static final Path PROTOCOL = Distribution.checkout().resolve("docs/PROTOCOL.md");
    private static final Duration WAIT = Duration.ofSeconds(30);

    @TempDir
    static Path dir;

    private static ServerKey key;
    private static StandaloneGateway gateway;

    // Started on first use: the vectors need no gateway, nor a distribution.
    private static synchronized StandaloneGateway gateway() {
        if (gateway == null) {
            key = ServerKey.generate();
            gateway = StandaloneGateway.start("--hellox-key", pem(dir.resolve("hellox.pem"), key).toString());
        }
        return gateway;
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void protocolVectors_recomputedFromTheirKeys_areTheTableOfProtocolMd() throws IOException {
        String section = section16(Files.readString(PROTOCOL, StandardCharsets.UTF_8));
        List<JsonObject> events = vectorsOfTheScript();
        assertThat(events).as("errors of the script's own checks")
                .noneMatch(e -> e.get("event").getAsString().equals("error"));

        JsonObject keys = events.stream().filter(e -> e.get("event").getAsString().equals("keys")).findFirst()
                .orElseThrow(() -> new AssertionError("no keys from the script: " + events));
        Matcher serverStatic = find(section,
                "Server static private key\\s+`([0-9a-f]{64})`\\s+\\(public\\s+`([0-9a-f]{64})`\\)");
        assertThat(keys.get("serverStaticPrivate").getAsString()).isEqualTo(serverStatic.group(1));
        assertThat(keys.get("serverStaticPublic").getAsString()).as("the public key of the server's static private key")
                .isEqualTo(serverStatic.group(2));
        assertThat(keys.get("deviceEphemeralPrivate").getAsString())
                .isEqualTo(find(section, "device\\s+ephemeral\\s+private\\s+key\\s+`([0-9a-f]{64})`").group(1));
        assertThat(keys.get("serverEphemeralPrivate").getAsString())
                .isEqualTo(find(section, "server\\s+ephemeral\\s+private\\s+key\\s+`([0-9a-f]{64})`").group(1));

        List<String> documented = new ArrayList<>();
        List<String> documentedRows = new ArrayList<>();
        Matcher row = Pattern.compile("(?m)^\\| (.+?) \\| `([0-9a-f ]+)` \\|$")
                .matcher(section.substring(section.indexOf("**Test vectors (hex).**")));
        while (row.find()) {
            documented.add(row.group(2).replace(" ", ""));
            documentedRows.add(row.group(1) + ": " + row.group(2));
        }
        List<String> computed = new ArrayList<>();
        List<String> computedRows = new ArrayList<>();
        events.stream().filter(e -> e.get("event").getAsString().equals("vector")).forEach(v -> {
            computed.add(v.get("hex").getAsString().replace(" ", ""));
            computedRows.add(v.get("what").getAsString() + ": " + v.get("hex").getAsString());
        });
        assertThat(documented).as("the table of PROTOCOL.md 1.6").hasSize(9);
        assertThat(computed).as("PROTOCOL.md 1.6 has%n  %s%nthe script computed%n  %s",
                String.join("\n  ", documentedRows), String.join("\n  ", computedRows)).isEqualTo(documented);
    }

    @Test
    void helloX_thenASealedHello_bringsTheDeviceOnline_aPushArrivesSealedAndIsAckedSealed_andASealedPingIsAnswered() {
        StandaloneGateway gateway = gateway();
        try (Device device = Device.connect(gateway.tcpPort(), key.publicKey(), gateway.token("hx-alice", "fp-1"),
                "fp-1")) {
            JsonObject connected = device.await("connected");
            assertThat(connected.get("helloX").getAsString()).as("HelloX: a 5-byte header and 53 bytes of payload")
                    .startsWith("070001" + "0035" + "01" + key.keyIdHex()).hasSize(2 * (5 + 53));
            JsonObject answer = device.await("answer");
            assertThat(answer.get("seq").getAsInt()).isEqualTo(1);
            assertThat(answer.get("len").getAsInt()).as("message 2: e and a tag").isEqualTo(48);
            JsonObject ack = device.helloAck();
            assertThat(ack.get("seq").getAsInt()).isEqualTo(1);
            String connId = ack.get("connId").getAsString();
            assertThat(connId).isNotEmpty();
            assertThat(ack.get("userId").getAsString()).isEqualTo("hx-alice");
            assertThat(ack.get("heartbeatSeconds").getAsInt()).isPositive();

            CompletableFuture<Ctl.Result> push = CompletableFuture.supplyAsync(() -> gateway.ctl("push",
                    "--target", gateway.grpcTarget(), "--user", "hx-alice", "--text", "hello sealed", "--wait-ack"));
            JsonObject received = device.await("push");
            assertThat(received.get("seq").getAsInt()).as("pushes are numbered from 1").isEqualTo(1);
            assertThat(received.get("payload").getAsString()).isEqualTo("hello sealed");
            assertThat(received.get("len").getAsInt()).as("len counts the tag").isEqualTo("hello sealed".length() + 16);
            assertThat(received.get("acked").getAsBoolean()).isTrue();
            Ctl.Result result = push.join();
            assertThat(result.exit()).as("%s", result).isZero();
            assertThat(result.out()).as("%s", result).containsPattern(Pattern.quote(connId) + "\\s+acknowledged");

            device.command("ping", Map.of("seq", 7));
            JsonObject pong = device.await("ping");
            assertThat(pong.get("seq").getAsInt()).isEqualTo(7);
            assertThat(pong.get("len").getAsInt()).as("an empty payload and its tag").isEqualTo(16);
        }
    }

    @Test
    void inTheChannelBeforeTheHello_theSessionIsThatOf13_aPingIsAnswered_dataGets401_thenTheHelloBringsItOnline() {
        StandaloneGateway gateway = gateway();
        try (Device device = Device.connect(gateway.tcpPort(), key.publicKey(), gateway.token("hx-jo", "fp-10"),
                "fp-10", "--no-hello")) {
            device.await("answer");
            device.command("ping", Map.of("seq", 3));
            assertThat(device.await("ping").get("seq").getAsInt()).isEqualTo(3);

            byte[] request = new Protobuf().int32(1, 1001).string(2, "hi").toBytes();
            device.command("sealed", Map.of("type", RawTcpDevice.DATA, "seq", 4,
                    "hex", HexFormat.of().formatHex(request)));
            JsonObject reply = device.await("frame");
            assertThat(reply.get("sealed").getAsBoolean()).isTrue();
            assertThat(reply.get("cmd").getAsInt()).isEqualTo(RawTcpDevice.DATA);
            assertThat(reply.get("seq").getAsInt()).isEqualTo(4);
            Map<Integer, Object> response =
                    Protobuf.parse(HexFormat.of().parseHex(reply.get("payloadHex").getAsString()));
            assertThat(Protobuf.number(response, 1)).as("1.3: Data before the Hello: TcpResponse.status")
                    .isEqualTo(401);

            device.command("hello", Map.of("seq", 5));
            JsonObject ack = device.helloAck();
            assertThat(ack.get("seq").getAsInt()).isEqualTo(5);
            assertThat(ack.get("userId").getAsString()).isEqualTo("hx-jo");
            device.command("ping", Map.of("seq", 6));
            assertThat(device.await("ping").get("seq").getAsInt()).isEqualTo(6);
        }
    }

    @Test
    void aRefusedToken_getsASealedBye401_inTheChannel() {
        StandaloneGateway gateway = gateway();
        String forged = Jwt.mint("another-secret-of-at-least-32-bytes!!!", "hx-kim", "fp-11");
        try (Device device = Device.connect(gateway.tcpPort(), key.publicKey(), forged, "fp-11")) {
            device.await("answer");
            device.expectByeAndClose(401, true);
        }
    }

    @Test
    void aRecordedHelloXReplayedOnANewConnection_getsAnAnswerNobodyCanUse_andTheDeviceThatMadeItStaysOnline()
            throws IOException {
        StandaloneGateway gateway = gateway();
        String token = gateway.token("hx-ivy", "fp-9");
        try (Relay relay = Relay.to(gateway.tcpPort());
                Device device = Device.connect(relay.port(), key.publicKey(), token, "fp-9")) {
            JsonObject connected = device.await("connected");
            String connId = device.helloAck().get("connId").getAsString();
            // what crossed the wire from the device: HelloX, then its sealed Hello; and the edge's answer
            List<byte[]> sent = relay.fromDevice(2);
            byte[] helloX = sent.get(0);
            byte[] sealedHello = sent.get(1);
            byte[] genuineAnswer = relay.fromEdge(1).get(0);
            assertThat(helloX).as("HelloX as recorded").hasSize(5 + 53);
            assertThat(HexFormat.of().formatHex(helloX)).as("HelloX as the device says it sent it")
                    .isEqualTo(connected.get("helloX").getAsString());
            assertThat(sealedHello[0]).isEqualTo((byte) RawTcpDevice.HELLO);

            // the recorded HelloX, then a Hello sealed with a made-up key (the replayer lacks the device's e)
            try (RawTcpDevice replayer = RawTcpDevice.connect(gateway.tcpPort())) {
                replayer.sendRaw(helloX);
                RawTcpDevice.Frame answer = replayer.next();
                assertThat(answer.cmd()).isEqualTo(HELLO_X);
                assertThat(answer.seq()).isEqualTo(1);
                assertThat(answer.payload()).as("a fresh message 2").hasSize(48)
                        .isNotEqualTo(Arrays.copyOfRange(genuineAnswer, 5, genuineAnswer.length));
                replayer.sendRaw(sealedWithMadeUpKey(RawTcpDevice.HELLO, 1,
                        new Protobuf().string(1, token).string(2, "fp-9").toBytes()));
                expectSealedByeAndClose(replayer);
            }
            // the whole recorded opening, HelloX and the device's sealed Hello, byte for byte
            try (RawTcpDevice replayer = RawTcpDevice.connect(gateway.tcpPort())) {
                replayer.sendRaw(helloX);
                assertThat(replayer.next().cmd()).isEqualTo(HELLO_X);
                replayer.sendRaw(sealedHello);
                expectSealedByeAndClose(replayer);
            }

            // the genuine device is still online, on its connection: not replaced (no Bye 409), its push acked
            CompletableFuture<Ctl.Result> push = CompletableFuture.supplyAsync(() -> gateway.ctl("push",
                    "--target", gateway.grpcTarget(), "--user", "hx-ivy", "--text", "still here", "--wait-ack"));
            assertThat(device.awaitBefore("push", "bye", "close").get("payload").getAsString()).isEqualTo("still here");
            Ctl.Result result = push.join();
            assertThat(result.exit()).as("%s", result).isZero();
            assertThat(result.out()).as("%s", result).containsPattern(Pattern.quote(connId) + "\\s+acknowledged");
            device.command("ping", Map.of("seq", 9));
            assertThat(device.awaitBefore("ping", "bye", "close").get("seq").getAsInt()).isEqualTo(9);
        }
    }

    @Test
    void theHelloTimeout_coversTheHandshakeAndTheHello_pingsInTheChannelDoNotExtendIt() {
        ServerKey timedKey = ServerKey.generate();
        try (StandaloneGateway timed = StandaloneGateway.start("--hellox-key",
                pem(dir.resolve("timed.pem"), timedKey).toString(), "--hello-timeout", "2s");
                Device device = Device.connect(timed.tcpPort(), timedKey.publicKey(), timed.token("hx-lee", "fp-12"),
                        "fp-12", "--no-hello", "--ping-every", "300")) {
            device.await("answer");
            int pings = 0;
            JsonObject event = device.next();
            for (; !event.get("event").getAsString().equals("bye"); event = device.next()) {
                if (event.get("event").getAsString().equals("ping")) {
                    pings++;
                } else {
                    fail("expected pings, then a Bye, got " + event);
                }
            }
            // a Ping every 300 ms, answered all along: had they extended the deadline, no Bye would have come
            assertThat(pings).as("sealed Pings answered before the Bye").isGreaterThanOrEqualTo(2);
            device.expectLastByeAndClose(408, true, event);
        }
    }

    @Test
    void aKeyFileOfTwoKeys_bringsDevicesPinnedToEitherOnline() {
        ServerKey first = ServerKey.generate();
        ServerKey second = ServerKey.generate();
        try (StandaloneGateway rotating = StandaloneGateway.start("--hellox-key",
                pem(dir.resolve("two-keys.pem"), first, second).toString())) {
            // 1.6: the edge prints each key id and public key at start
            for (ServerKey k : List.of(first, second)) {
                rotating.node().awaitOutput("(?i)" + k.keyIdHex(), WAIT);
                rotating.node().awaitOutput("(?i)" + HexFormat.of().formatHex(k.publicKey()), WAIT);
            }
            for (ServerKey pinned : List.of(first, second)) {
                String deviceId = "fp-" + pinned.keyIdHex();
                try (Device device = Device.connect(rotating.tcpPort(), pinned.publicKey(),
                        rotating.token("hx-bob", deviceId), deviceId)) {
                    assertThat(device.helloAck().get("userId").getAsString()).isEqualTo("hx-bob");
                    device.command("ping", Map.of("seq", 2));
                    assertThat(device.await("ping").get("seq").getAsInt()).isEqualTo(2);
                }
            }
        }
    }

    @Test
    void refusalsOfTheHelloX_areAPlainByeInTheStatedOrder_andTheEndOfTheConnection() {
        StandaloneGateway gateway = gateway();
        String token = gateway.token("hx-carol", "fp-3");
        Map<String, byte[]> payloads = new LinkedHashMap<>();
        payloads.put("empty", new byte[0]);
        payloads.put("version 2, 1 byte", new byte[] {2});
        payloads.put("version 1, 52 bytes", helloXOfZeros(52));
        payloads.put("version 1, 54 bytes", helloXOfZeros(54));
        byte[] unknownKeyId = helloXOfZeros(54);
        Arrays.fill(unknownKeyId, 1, 5, (byte) 0);
        payloads.put("version 1, 54 bytes, an unknown key id", unknownKeyId);
        Map<String, Integer> expected = Map.of("empty", 400, "version 2, 1 byte", 501, "version 1, 52 bytes", 400,
                "version 1, 54 bytes", 400, "version 1, 54 bytes, an unknown key id", 400);
        payloads.forEach((what, payload) -> {
            try (RawTcpDevice raw = RawTcpDevice.connect(gateway.tcpPort())) {
                raw.send(HELLO_X, 1, payload);
                RawTcpDevice.Frame bye = raw.next();
                assertThat(bye.cmd()).as("%s: %s", what, bye).isEqualTo(RawTcpDevice.BYE);
                assertThat(bye.byeCode()).as("%s: a plain Bye's code", what).isEqualTo(expected.get(what));
                raw.expectClosed();
            }
        });
        // a well-formed message 1 of version 2: 501 all the same
        try (Device device = Device.connect(gateway.tcpPort(), key.publicKey(), token, "fp-3", "--version", "2")) {
            device.expectByeAndClose(501, false);
        }
        // pinned to a key the edge does not hold: an unknown key id
        try (Device device = Device.connect(gateway.tcpPort(), ServerKey.generate().publicKey(), token, "fp-3")) {
            device.expectByeAndClose(401, false);
        }
        // the edge's key id, but e of another key and a tag of zeros: message 1 does not decrypt
        try (RawTcpDevice raw = RawTcpDevice.connect(gateway.tcpPort())) {
            raw.send(HELLO_X, 1, undecryptable(key));
            raw.expectByeAndClose(401);
        }
        // e of small order, its tag made with the all-zero es it forces: a tag that verifies, refused all the same
        try (Device device = Device.connect(gateway.tcpPort(), key.publicKey(), token, "fp-3", "--small-order-e")) {
            device.expectByeAndClose(401, false);
        }
    }

    @Test
    void a401OfTheHelloXCountsAsAFailedAuthentication_andABannedAddressGets429BeforeAnyCheckOfThePayload()
            throws IOException {
        ServerKey banKey = ServerKey.generate();
        InetAddress banned = InetAddress.getByName("127.0.0.2"); // loopback, but an address of its own
        try (StandaloneGateway strict = StandaloneGateway.start("--hellox-key",
                pem(dir.resolve("strict.pem"), banKey).toString(), "--auth-failures-per-ip", "2")) {
            byte[] unknownKey = new byte[53];
            unknownKey[0] = 1;
            for (int failure = 1; failure <= 2; failure++) {
                try (RawTcpDevice raw = RawTcpDevice.connectFrom(banned, strict.tcpPort())) {
                    raw.send(HELLO_X, 1, unknownKey);
                    raw.expectByeAndClose(401);
                }
            }
            Map<String, byte[]> payloads = new LinkedHashMap<>();
            payloads.put("empty", new byte[0]);
            payloads.put("version 2, 1 byte", new byte[] {2});
            payloads.put("version 1, 52 bytes", Arrays.copyOf(unknownKey, 52));
            payloads.put("an unknown key id", unknownKey);
            payloads.put("the edge's key id, e of another key", undecryptable(banKey));
            payloads.forEach((what, payload) -> {
                try (RawTcpDevice raw = RawTcpDevice.connectFrom(banned, strict.tcpPort())) {
                    raw.send(HELLO_X, 1, payload);
                    RawTcpDevice.Frame bye = raw.next();
                    assertThat(bye.cmd()).as("%s from a banned address: %s", what, bye).isEqualTo(RawTcpDevice.BYE);
                    assertThat(bye.byeCode()).as("%s from a banned address", what).isEqualTo(429);
                    raw.expectClosed();
                }
            });
            // the ban is the address's: 127.0.0.1 comes online as ever
            try (Device device = Device.connect(strict.tcpPort(), banKey.publicKey(),
                    strict.token("hx-max", "fp-13"), "fp-13")) {
                assertThat(device.helloAck().get("userId").getAsString()).isEqualTo("hx-max");
            }
        }
    }

    @Test
    void helloAndHelloXAreAlternatives_aSecondOfEither_isBye400_sealedInTheChannel() {
        StandaloneGateway gateway = gateway();
        String token = gateway.token("hx-hal", "fp-8");
        try (Device device = online("hx-hal", "fp-8")) {
            byte[] hello = new Protobuf().string(1, token).string(2, "fp-8").toBytes();
            device.command("sealed", Map.of("type", RawTcpDevice.HELLO, "seq", 2,
                    "hex", HexFormat.of().formatHex(hello)));
            device.expectByeAndClose(400, true);
        }
        try (Device device = Device.connect(gateway.tcpPort(), key.publicKey(), token, "fp-8", "--no-hello")) {
            device.await("answer");
            device.command("sealed", Map.of("type", HELLO_X, "seq", 2,
                    "hex", HexFormat.of().formatHex(helloXOfZeros(53))));
            device.expectByeAndClose(400, true);
        }
        try (RawTcpDevice plain = RawTcpDevice.online(gateway.tcpPort(), token, "fp-8")) {
            plain.send(HELLO_X, 2, helloXOfZeros(53));
            plain.expectByeAndClose(400);
        }
    }

    @Test
    void lenCountsTheTag_aSealedDataOf16368BytesIsAnswered_oneByteMoreIsASealedBye413() {
        try (Device device = online("hx-nia", "fp-14")) {
            for (int size : List.of(16_368, 16_369)) {
                // service, then a payload whose length takes a 2-byte varint: 3 + 1 + 2 + n bytes
                byte[] request = new Protobuf().int32(1, 1001).bytes(2, new byte[size - 6]).toBytes();
                assertThat(request).hasSize(size);
                device.command("sealed", Map.of("type", RawTcpDevice.DATA, "seq", size & 0xffff,
                        "hex", HexFormat.of().formatHex(request)));
            }
            JsonObject reply = device.awaitBefore("frame", "bye", "close");
            assertThat(reply.get("cmd").getAsInt()).as("%s", reply).isEqualTo(RawTcpDevice.DATA);
            assertThat(reply.get("seq").getAsInt()).isEqualTo(16_368);
            assertThat(reply.get("sealed").getAsBoolean()).isTrue();
            device.expectByeAndClose(413, true);
        }
    }

    @Test
    void aTamperedSealedFrame_getsASealedBye400_andTheConnectionCloses() {
        for (String part : List.of("body", "header")) {
            try (Device device = online("hx-dan", "fp-4-" + part)) {
                device.command("tampered", Map.of("seq", 3, "part", part));
                device.expectByeAndClose(400, true);
            }
        }
    }

    @Test
    void aReplayedSealedFrame_getsASealedBye400_andTheConnectionCloses() {
        try (Device device = online("hx-erin", "fp-5")) {
            device.command("ping", Map.of("seq", 5));
            assertThat(device.await("ping").get("seq").getAsInt()).isEqualTo(5);
            device.command("replay", Map.of());
            device.expectByeAndClose(400, true);
        }
    }

    @Test
    void aPlainFrameAfterTheAnswer_beforeOrAfterTheHello_getsASealedBye400_andTheConnectionCloses() {
        try (Device device = online("hx-fay", "fp-6")) {
            device.command("raw", Map.of("hex", "0200070000"));
            device.expectByeAndClose(400, true);
        }
        StandaloneGateway gateway = gateway();
        try (Device device = Device.connect(gateway.tcpPort(), key.publicKey(), gateway.token("hx-fay", "fp-6"),
                "fp-6", "--no-hello")) {
            device.await("answer");
            byte[] hello = new Protobuf().string(1, gateway.token("hx-fay", "fp-6")).string(2, "fp-6").toBytes();
            device.command("raw", Map.of("hex", HexFormat.of().formatHex(RawTcpDevice.frame(RawTcpDevice.HELLO, 1,
                    hello))));
            device.expectByeAndClose(400, true);
        }
    }

    @Test
    void anEdgeWithoutHelloXKeys_answersHelloXWithAPlainBye501() {
        try (StandaloneGateway plain = StandaloneGateway.start();
                Device device = Device.connect(plain.tcpPort(), ServerKey.generate().publicKey(),
                        plain.token("hx-gus", "fp-7"), "fp-7")) {
            device.expectByeAndClose(501, false);
        }
    }

    private static Device online(String user, String deviceId) {
        StandaloneGateway gateway = gateway();
        Device device = Device.connect(gateway.tcpPort(), key.publicKey(), gateway.token(user, deviceId), deviceId);
        try {
            device.helloAck();
            return device;
        } catch (AssertionError | RuntimeException e) {
            device.close();
            throw e;
        }
    }

    /** 53 bytes of version 1 and the key id of {@code edgeKey}, then e of another key and a tag of zeros. */
    private static byte[] undecryptable(ServerKey edgeKey) {
        byte[] payload = new byte[53];
        payload[0] = 1;
        System.arraycopy(edgeKey.keyId(), 0, payload, 1, 4);
        System.arraycopy(ServerKey.generate().publicKey(), 0, payload, 5, 32);
        return payload;
    }

    /** A HelloX payload of {@code length} bytes: version 1 and the key id of the gateway's key, then zeros. */
    private static byte[] helloXOfZeros(int length) {
        byte[] payload = new byte[length];
        payload[0] = 1;
        System.arraycopy(key.keyId(), 0, payload, 1, 4);
        return payload;
    }

    /** A frame sealed as 1.6 says, but with a key of its own: a replayer's best guess at the channel's keys. */
    private static byte[] sealedWithMadeUpKey(int cmd, int seq, byte[] payload) {
        byte[] madeUp = new byte[32];
        new SecureRandom().nextBytes(madeUp);
        byte[] header = Arrays.copyOf(RawTcpDevice.frame(cmd, seq, new byte[payload.length + 16]), 5);
        try {
            Cipher cipher = Cipher.getInstance("ChaCha20-Poly1305");
            cipher.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(madeUp, "ChaCha20"), new IvParameterSpec(new byte[12]));
            cipher.updateAAD(header);
            byte[] sealed = cipher.doFinal(payload);
            byte[] frame = Arrays.copyOf(header, 5 + sealed.length);
            System.arraycopy(sealed, 0, frame, 5, sealed.length);
            return frame;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * Expects a Bye the replayer cannot open (sealed with the channel's keys: its code, 400 by 1.6, stays unread),
     * seq 0, at least a tag and a code long, then the end of the connection.
     */
    private static void expectSealedByeAndClose(RawTcpDevice replayer) {
        RawTcpDevice.Frame bye = replayer.next();
        assertThat(bye.cmd()).as("%s", bye).isEqualTo(RawTcpDevice.BYE);
        assertThat(bye.seq()).as("a server Bye's seq").isZero();
        assertThat(bye.payload().length).as("a sealed Bye: a tag and at least a code").isGreaterThanOrEqualTo(16 + 3);
        replayer.expectClosed();
    }

    private static String section16(String protocol) {
        int start = protocol.indexOf("### 1.6 ");
        int end = protocol.indexOf("\n## ", start);
        if (start < 0 || end < 0) {
            fail(PROTOCOL + " has no section 1.6 followed by a section 2");
        }
        return protocol.substring(start, end);
    }

    private static Matcher find(String text, String regex) {
        Matcher matcher = Pattern.compile(regex).matcher(text);
        if (!matcher.find()) {
            fail("PROTOCOL.md 1.6 has nothing matching /" + regex + "/");
        }
        return matcher;
    }

    // Run without WsDevice.NodeScript: the vectors mode needs node alone, not the npm packages.
    private static List<JsonObject> vectorsOfTheScript() {
        try {
            Process node = new ProcessBuilder("node", "hellox-device.mjs", "vectors")
                    .directory(WsDevice.NodeScript.DIR.toFile()).redirectError(ProcessBuilder.Redirect.DISCARD).start();
            node.getOutputStream().close();
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> {
                try {
                    return new String(node.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            if (!node.waitFor(WAIT.toSeconds(), TimeUnit.SECONDS)) {
                node.destroyForcibly();
                fail("node hellox-device.mjs vectors did not end within " + WAIT.toSeconds() + " s");
            }
            String output = out.join();
            assertThat(node.exitValue()).as("exit code of node hellox-device.mjs vectors, which printed:%n%s", output)
                    .isZero();
            return output.lines().filter(line -> !line.isBlank())
                    .map(line -> JsonParser.parseString(line).getAsJsonObject()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run node (the Node clients need Node.js 20 or newer)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Writes {@code keys} into one PEM file, each as {@code openssl genpkey -algorithm X25519} writes one. */
    private static Path pem(Path file, ServerKey... keys) {
        StringBuilder pem = new StringBuilder();
        Base64.Encoder base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
        for (ServerKey k : keys) {
            pem.append("-----BEGIN PRIVATE KEY-----\n").append(base64.encodeToString(k.pkcs8()))
                    .append("\n-----END PRIVATE KEY-----\n");
        }
        try {
            return Files.writeString(file, pem, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A TCP relay on loopback that records what crosses it, to replay a device's bytes exactly as they went over the
     * wire: one device connects to {@link #port()}, the relay connects to the edge and copies both ways.
     */
    static final class Relay implements AutoCloseable {
        private final ServerSocket server;
        private final ByteArrayOutputStream fromDevice = new ByteArrayOutputStream();
        private final ByteArrayOutputStream fromEdge = new ByteArrayOutputStream();
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();

        private Relay(int edgePort) throws IOException {
            server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
            Thread acceptor = new Thread(() -> {
                try {
                    Socket device = server.accept();
                    sockets.add(device);
                    Socket edge = new Socket(InetAddress.getLoopbackAddress(), edgePort);
                    sockets.add(edge);
                    device.setTcpNoDelay(true);
                    edge.setTcpNoDelay(true);
                    copy(device, edge, fromDevice);
                    copy(edge, device, fromEdge);
                } catch (IOException closed) {
                    // the relay was closed
                }
            }, "hellox-relay-" + server.getLocalPort());
            acceptor.setDaemon(true);
            acceptor.start();
        }

        static Relay to(int edgePort) throws IOException {
            return new Relay(edgePort);
        }

        int port() {
            return server.getLocalPort();
        }

        private static void copy(Socket from, Socket to, ByteArrayOutputStream record) {
            Thread copier = new Thread(() -> {
                byte[] buffer = new byte[8192];
                try {
                    for (int n; (n = from.getInputStream().read(buffer)) >= 0; ) {
                        synchronized (record) {
                            record.write(buffer, 0, n);
                            record.notifyAll();
                        }
                        to.getOutputStream().write(buffer, 0, n);
                    }
                    to.shutdownOutput();
                } catch (IOException closed) {
                    // either side went away
                }
            }, "hellox-relay-copy");
            copier.setDaemon(true);
            copier.start();
        }

        /** The first {@code count} whole frames the device sent, waiting for them. */
        List<byte[]> fromDevice(int count) {
            return frames(fromDevice, count);
        }

        /** The first {@code count} whole frames the edge sent, waiting for them. */
        List<byte[]> fromEdge(int count) {
            return frames(fromEdge, count);
        }

        private static List<byte[]> frames(ByteArrayOutputStream record, int count) {
            long deadline = System.nanoTime() + WAIT.toNanos();
            synchronized (record) {
                while (true) {
                    byte[] bytes = record.toByteArray();
                    List<byte[]> frames = new ArrayList<>();
                    for (int at = 0; frames.size() < count && at + 5 <= bytes.length; ) {
                        int end = at + 5 + (((bytes[at + 3] & 0xff) << 8) | (bytes[at + 4] & 0xff));
                        if (end > bytes.length) {
                            break;
                        }
                        frames.add(Arrays.copyOfRange(bytes, at, end));
                        at = end;
                    }
                    if (frames.size() == count) {
                        return frames;
                    }
                    long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
                    if (left <= 0) {
                        fail("the relay recorded " + frames.size() + " whole frames, not " + count + ", in " + WAIT);
                    }
                    try {
                        record.wait(left);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException(e);
                    }
                }
            }
        }

        @Override
        public void close() {
            try {
                server.close();
            } catch (IOException ignored) {
                // closing
            }
            sockets.forEach(socket -> {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing
                }
            });
        }
    }

    /** An edge's static X25519 key: its private key as PKCS#8 DER, its public key as the 32 raw bytes devices pin. */
    record ServerKey(byte[] pkcs8, byte[] publicKey) {
        static ServerKey generate() {
            try {
                KeyPair pair = KeyPairGenerator.getInstance("X25519").generateKeyPair();
                // X.509 SubjectPublicKeyInfo of X25519: a fixed 12-byte prefix, then the raw key
                byte[] spki = pair.getPublic().getEncoded();
                byte[] raw = Arrays.copyOfRange(spki, spki.length - 32, spki.length);
                return new ServerKey(pair.getPrivate().getEncoded(), raw);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        /** The first 4 bytes of the SHA-256 of the public key (1.6). */
        byte[] keyId() {
            try {
                return Arrays.copyOf(MessageDigest.getInstance("SHA-256").digest(publicKey), 4);
            } catch (GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }

        String keyIdHex() {
            return HexFormat.of().formatHex(keyId());
        }
    }

    /**
     * A feature phone of {@code hellox-device.mjs} in session mode: it says HelloX as it connects, then its sealed
     * Hello (unless {@code --no-hello}); commands go to its stdin, its events (connected, answer, hello-ack, push,
     * ping, bye, close, ...) come back through {@link WsDevice.NodeScript}.
     */
    static final class Device implements AutoCloseable {
        private final WsDevice.NodeScript script;

        private Device(WsDevice.NodeScript script) {
            this.script = script;
        }

        static Device connect(int port, byte[] pinnedKey, String token, String deviceId, String... moreArgs) {
            List<String> args = new ArrayList<>(List.of("--port", "" + port,
                    "--server-key", HexFormat.of().formatHex(pinnedKey), "--token", token, "--device-id", deviceId));
            args.addAll(List.of(moreArgs));
            return new Device(WsDevice.NodeScript.start("hellox-device-" + deviceId, "hellox-device.mjs", args));
        }

        /** The TcpHelloAck of the sealed Hello reply; fails, with all the script printed, at the end instead. */
        JsonObject helloAck() {
            return await("hello-ack");
        }

        JsonObject await(String event) {
            return script.await(event, WAIT);
        }

        /** The next event of any name but "sent". */
        JsonObject next() {
            return script.next(WAIT);
        }

        /** The next event named {@code event}; fails if one of {@code notBefore} (or the end) comes first. */
        JsonObject awaitBefore(String event, String... notBefore) {
            while (true) {
                JsonObject got = next();
                String name = got.get("event").getAsString();
                if (name.equals(event)) {
                    return got;
                }
                if (List.of(notBefore).contains(name) || name.equals("(end of output)")) {
                    fail("expected \"" + event + "\", got " + got + " first\n" + script);
                }
            }
        }

        Device command(String cmd, Map<String, ?> fields) {
            Map<String, Object> command = new LinkedHashMap<>();
            command.put("cmd", cmd);
            command.putAll(fields);
            script.send(command);
            return this;
        }

        /** Expects a Bye with {@code code}, sealed or plain, then the end of the connection. */
        void expectByeAndClose(int code, boolean sealed) {
            expectLastByeAndClose(code, sealed, await("bye"));
        }

        /** As {@link #expectByeAndClose}, for a Bye event taken already ({@link #next()}). */
        void expectLastByeAndClose(int code, boolean sealed, JsonObject bye) {
            if (bye.get("code").getAsInt() != code || bye.get("sealed").getAsBoolean() != sealed) {
                fail("expected a " + (sealed ? "sealed" : "plain") + " Bye " + code + ", got " + bye + "\n" + script);
            }
            await("close");
        }

        @Override
        public void close() {
            script.close();
        }
    }
}
