package io.frontier.edge.internal.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import io.frontier.api.v1.Frame;
import io.frontier.edge.EdgeConfig;
import io.frontier.edge.EdgeFixture;
import io.frontier.edge.Tokens;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Arrays;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Regressions found by the Autobahn fuzzing ({@code AutobahnFuzzingIT}): a protocol
 * violation gets exactly one close frame with its own status, and RSV bits that no
 * negotiated extension owns are a protocol violation even while compression is on.
 */
class WsCloseHandshakeTest {
    private static final byte[] SEND_MESSAGE = Frame.newBuilder()
            .setMethod(WsMethod.SEND_MESSAGE).setSeqid(1).setService(7).build().toByteArray();

    private EdgeFixture fixture;

    @AfterEach
    void close() {
        if (fixture != null) {
            fixture.close();
        }
    }

    private RawWsClient online(EdgeConfig.Builder config, String... headers) throws Exception {
        fixture = new EdgeFixture(config);
        InetSocketAddress server = fixture.edge().wsAddress();
        RawWsClient client = RawWsClient.upgrade(server, "/ws?device_id=phone&token=" + Tokens.valid("alice", null),
                headers);
        assertThat(client.httpStatus).as(client.httpHead).isEqualTo(101);
        return client;
    }

    /** Reads the next frame, which must be a close with {@code status}, and then the end of the stream. */
    private static void expectOnlyClose(RawWsClient client, int status) throws Exception {
        RawWsClient.Message close = client.read();
        assertThat(close.opcode()).isEqualTo(RawWsClient.CLOSE);
        assertThat(close.closeStatus()).isEqualTo(status);
        // Netty's default closed the channel with a second close frame, 1000 "Bye", after the decoder's own.
        assertThatThrownBy(client::read).as("nothing after the close frame").isInstanceOf(EOFException.class);
    }

    @Test
    void oversizedPing_getsOneClose1002_andNoSecondCloseFrame() throws Exception {
        try (RawWsClient client = online(EdgeFixture.defaults())) {
            assertThat(client.read().opcode()).as("HELLO").isEqualTo(RawWsClient.BINARY);
            client.send(RawWsClient.PING, new byte[126]);
            expectOnlyClose(client, 1002);
        }
    }

    @Test
    void reservedOpcode_getsOneClose1002_andNoSecondCloseFrame() throws Exception {
        try (RawWsClient client = online(EdgeFixture.defaults())) {
            assertThat(client.read().opcode()).as("HELLO").isEqualTo(RawWsClient.BINARY);
            client.send(0x3, new byte[0]);
            expectOnlyClose(client, 1002);
        }
    }

    @Test
    void rsv1WithoutNegotiatedCompression_isClosedWith1002_whenCompressionIsOn() throws Exception {
        // The client offers no permessage-deflate, so RSV1 means nothing on this connection.
        try (RawWsClient client = online(EdgeFixture.defaults().wsCompression(true))) {
            assertThat(client.httpHead).doesNotContainIgnoringCase("permessage-deflate");
            assertThat(client.read().opcode()).as("HELLO").isEqualTo(RawWsClient.BINARY);
            client.send(RawWsClient.BINARY, SEND_MESSAGE, true);
            expectOnlyClose(client, 1002);
        }
    }

    @Test
    void rsv1OfNegotiatedCompression_isTheExtensions_andTheMessageIsServed() throws Exception {
        try (RawWsClient client = online(EdgeFixture.defaults().wsCompression(true),
                "Sec-WebSocket-Extensions: permessage-deflate")) {
            assertThat(client.httpHead).containsIgnoringCase("permessage-deflate");
            Inflater inflater = new Inflater(true);
            Frame hello = Frame.parseFrom(inflate(inflater, client.read().payload()));
            assertThat(hello.getMethod()).isEqualTo(WsMethod.HELLO);
            client.send(RawWsClient.BINARY, WsWire.deflate(SEND_MESSAGE), true);
            RawWsClient.Message reply = client.read();
            assertThat(reply.opcode()).isEqualTo(RawWsClient.BINARY);
            Frame frame = Frame.parseFrom(inflate(inflater, reply.payload()));
            assertThat(frame.getSeqid()).isEqualTo(1);
            assertThat(frame.getHeadersList()).anySatisfy(h -> {
                assertThat(h.getKey()).isEqualTo("status");
                assertThat(h.getValue()).isEqualTo("404");
            });
        }
    }

    /**
     * Found by WsSessionFuzzTest: Netty's inflater throws from its channelInactive after data that
     * does not inflate, so the session after it never heard that the channel closed: the device
     * stayed registered, counted open and online.
     */
    @Test
    void dataThatDoesNotInflate_closes_andTheDeviceGoesOffline() throws Exception {
        try (RawWsClient client = online(EdgeFixture.defaults().wsCompression(true),
                "Sec-WebSocket-Extensions: permessage-deflate")) {
            assertThat(client.read().opcode()).as("HELLO").isEqualTo(RawWsClient.BINARY);
            // A deflate block of the reserved type 11.
            client.send(RawWsClient.BINARY, new byte[] {(byte) 0xff, 0x00, 0x00}, true);
            assertThat(client.serverClosed()).isTrue();
        }
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            assertThat(fixture.events()).anySatisfy(event -> assertThat(event).startsWith("down alice/phone "));
            assertThat(fixture.edge().registry().size()).isZero();
            assertThat(fixture.edge().openConnections()).isZero();
        });
    }

    /**
     * Found by WsSessionFuzzTest: a compressed message that inflates to nothing (here an empty
     * fixed-Huffman block) failed in Netty's inflater as a plain CodecException, which the session
     * took for its own fault: BYE 500, and a warning logged for every such message.
     */
    @Test
    void compressedMessageThatInflatesToNothing_isUndecodable_1007() throws Exception {
        try (RawWsClient client = online(EdgeFixture.defaults().wsCompression(true),
                "Sec-WebSocket-Extensions: permessage-deflate")) {
            Inflater inflater = new Inflater(true);
            assertThat(Frame.parseFrom(inflate(inflater, client.read().payload())).getMethod()).isEqualTo(WsMethod.HELLO);
            client.send(RawWsClient.BINARY, new byte[] {0x02, 0x00}, true);
            Frame bye = Frame.parseFrom(inflate(inflater, client.read().payload()));
            assertThat(bye.getMethod()).isEqualTo(WsMethod.BYE);
            assertThat(bye.getHeadersList()).anySatisfy(h -> {
                assertThat(h.getKey()).isEqualTo("code");
                assertThat(h.getValue()).isEqualTo("400");
            });
            expectOnlyClose(client, 1007);
        }
    }

    /** Decompresses one permessage-deflate message with the connection's inflater (context takeover). */
    private static byte[] inflate(Inflater inflater, byte[] payload) throws DataFormatException {
        byte[] input = Arrays.copyOf(payload, payload.length + 4);
        input[payload.length + 2] = (byte) 0xff;
        input[payload.length + 3] = (byte) 0xff;
        inflater.setInput(input);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[1024];
        int n;
        while ((n = inflater.inflate(buffer)) > 0) {
            out.write(buffer, 0, n);
        }
        return out.toByteArray();
    }
}
