package io.frontier.protocol.hellox;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.frontier.api.v1.TcpHello;
import io.frontier.api.v1.TcpHelloAck;
import io.frontier.protocol.tcp.TcpCommand;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import java.util.Arrays;
import java.util.HexFormat;
import javax.crypto.AEADBadTagException;
import org.junit.jupiter.api.Test;

/**
 * The test vectors of PROTOCOL.md 1.6, made with the keys of the Cacophony vector (whose
 * handshake {@link NoiseNkTest} checks), and what a sealed session refuses.
 */
class HelloXVectorsTest {
    private static final HexFormat HEX = HexFormat.of();
    static final byte[] SERVER_STATIC = hex("4a3acbfdb163dec651dfa3194dece676d437029c62a408b4c5ea9114246e4893");
    static final byte[] DEVICE_EPHEMERAL = hex("893e28b9dc6ca8d611ab664754b8ceb7bac5117349a4439a6b0569da977c464a");
    static final byte[] SERVER_EPHEMERAL = hex("bbdb4cdbd309f1a1f2e1456967fe288cadd6f712d65dc7b7793d5e63da6b375b");

    @Test
    void protocolVectors() throws Exception {
        byte[] serverPublic = X25519.publicKey(SERVER_STATIC);
        byte[] keyId = HelloX.keyId(serverPublic);
        byte[] prologue = HelloX.prologue(HelloX.VERSION, keyId);
        byte[] hello = TcpHello.newBuilder().setToken("t").setDeviceId("d").build().toByteArray();
        byte[] ack = TcpHelloAck.newBuilder().setConnId("c").setHeartbeatSeconds(60).setUserId("u").build().toByteArray();

        NoiseNk.Initiator device = NoiseNk.initiator(prologue, serverPublic, DEVICE_EPHEMERAL);
        byte[] request = HelloX.request(keyId, device.writeMessage1(new byte[0]));
        assertEquals(HelloX.REQUEST_LENGTH, request.length);
        NoiseNk.Responder server = NoiseNk.responder(prologue, SERVER_STATIC, serverPublic);
        assertArrayEquals(new byte[0],
                server.readMessage1(Arrays.copyOfRange(request, HelloX.PREFIX_LENGTH, request.length)));
        byte[] answer = server.writeMessage2(new byte[0], SERVER_EPHEMERAL);
        assertEquals(HelloX.ANSWER_LENGTH, answer.length);
        assertArrayEquals(new byte[0], device.readMessage2(answer));
        NoiseNk.Keys deviceKeys = device.split();
        NoiseNk.Keys serverKeys = server.split();
        FrameCipher deviceOut = new FrameCipher(deviceKeys.send());
        FrameCipher serverOut = new FrameCipher(serverKeys.send());

        String[] actual = {
            HEX.formatHex(keyId),
            frame(TcpCommand.HELLO_X, 1, request),
            frame(TcpCommand.HELLO_X, 1, answer),
            sealed(deviceOut, TcpCommand.HELLO, 1, hello),
            sealed(serverOut, TcpCommand.HELLO, 1, ack),
            sealed(deviceOut, TcpCommand.PING, 7, new byte[0]),
            sealed(serverOut, TcpCommand.PING, 7, new byte[0]),
            sealed(serverOut, TcpCommand.PUSH, 1, "hi".getBytes()),
            sealed(deviceOut, TcpCommand.ACK, 1, new byte[0]),
        };
        for (int i = 0; i < VECTORS.length; i++) {
            assertEquals(VECTORS[i], actual[i], "vector " + i);
        }

        // The server opens what the device sealed, in order, and nothing else.
        FrameCipher serverIn = new FrameCipher(serverKeys.receive());
        assertEquals(HEX.formatHex(hello), open(serverIn, TcpCommand.HELLO, 1, VECTORS[3]));
        assertThrows(AEADBadTagException.class, () -> open(serverIn, TcpCommand.HELLO, 1, VECTORS[3]), "replayed");
    }

    @Test
    void sealedFrame_changedHeader_doesNotOpen() throws Exception {
        byte[] key = new byte[32];
        key[0] = 7;
        ByteBuf out = Unpooled.buffer();
        new FrameCipher(key).seal(TcpCommand.DATA, 5, Unpooled.wrappedBuffer(new byte[] {1, 2, 3}), out);
        ByteBuf sealed = out.slice(FrameCipher.HEADER_LENGTH, out.readableBytes() - FrameCipher.HEADER_LENGTH);
        assertThrows(AEADBadTagException.class,
                () -> new FrameCipher(key).open(TcpCommand.BYE, 5, sealed, UnpooledByteBufAllocator.DEFAULT), "cmd");
        assertThrows(AEADBadTagException.class,
                () -> new FrameCipher(key).open(TcpCommand.DATA, 6, sealed, UnpooledByteBufAllocator.DEFAULT), "seq");
        assertThrows(AEADBadTagException.class,
                () -> new FrameCipher(key).open(TcpCommand.DATA, 5, sealed.slice(0, 15), UnpooledByteBufAllocator.DEFAULT),
                "shorter than a tag");
        ByteBuf plain = new FrameCipher(key).open(TcpCommand.DATA, 5, sealed, UnpooledByteBufAllocator.DEFAULT);
        assertArrayEquals(new byte[] {1, 2, 3}, ByteBufUtil.getBytes(plain));
        plain.release();
    }

    @Test
    void sealingOverTheLimit_isRefused() {
        ByteBuf big = Unpooled.wrappedBuffer(new byte[FrameCipher.MAX_PLAINTEXT + 1]);
        assertThrows(IllegalArgumentException.class, () -> new FrameCipher(new byte[32]).seal(TcpCommand.PUSH, 1, big, Unpooled.buffer()));
    }

    /** As PROTOCOL.md 1.6 prints them: the key id, then frames as cmd, seq, len, payload. */
    /** As PROTOCOL.md 1.6 prints them: the key id, then frames as cmd, seq, len, payload. */
    static final String[] VECTORS = {
        "9c5643f1",
        "07 0001 0035 019c5643f1ca35def5ae56cec33dc2036731ab14896bc4c75dbb07a61f879f8e3afa4c7944b2fbd8d693894"
                + "7cdb1b7703ff63567ca",
        "07 0001 0030 95ebc60d2b1fa672c1f46a8aa265ef51bfe38e7ccb39ec5be34069f14480884347a1a7cc7df10bf994b2c60"
                + "95ccfe63e",
        "01 0001 0016 ea02b6cfcd38a6f0faf331adae0b59be5588f848c9d4",
        "01 0001 0018 5e2a248d0007fb5e5eb75dad12ef49e2aedc6de587f3377a",
        "02 0007 0010 3bfbed693814f52944ece338a8891c36",
        "02 0007 0010 c1b5ed3c5ce47d5185823c3798759bee",
        "08 0001 0012 8e3d2c8e13a22c8a2e6bfd400186f89b2afe",
        "03 0001 0010 4b9531d3f8f6d03c2b6d149fb4e58b7a",
    };

    private static String frame(int cmd, int seq, byte[] payload) {
        return String.format("%02x %04x %04x %s", cmd, seq, payload.length, HEX.formatHex(payload));
    }

    private static String sealed(FrameCipher cipher, int cmd, int seq, byte[] plaintext) throws Exception {
        ByteBuf out = Unpooled.buffer();
        cipher.seal(cmd, seq, Unpooled.wrappedBuffer(plaintext), out);
        byte[] bytes = ByteBufUtil.getBytes(out);
        return String.format("%02x %04x %04x %s", cmd, seq, bytes.length - 5, HEX.formatHex(bytes, 5, bytes.length));
    }

    private static String open(FrameCipher cipher, int cmd, int seq, String vector) throws Exception {
        String[] parts = vector.split(" ");
        ByteBuf plain = cipher.open(cmd, seq, Unpooled.wrappedBuffer(hex(parts[3])), UnpooledByteBufAllocator.DEFAULT);
        try {
            return HEX.formatHex(ByteBufUtil.getBytes(plain));
        } finally {
            plain.release();
        }
    }

    private static byte[] hex(String hex) {
        return HEX.parseHex(hex);
    }
}
