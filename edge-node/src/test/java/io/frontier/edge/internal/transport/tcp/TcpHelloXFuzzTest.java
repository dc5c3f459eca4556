package io.frontier.edge.internal.transport.tcp;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.frontier.api.v1.Bye;
import io.frontier.api.v1.TcpHello;
import io.frontier.edge.EdgeConfig;
import io.frontier.edge.FuzzHarness;
import io.frontier.edge.internal.auth.HelloXKeys;
import io.frontier.edge.internal.session.SessionContext;
import io.frontier.protocol.hellox.FrameCipher;
import io.frontier.protocol.hellox.HelloX;
import io.frontier.protocol.hellox.NoiseNk;
import io.frontier.protocol.hellox.X25519;
import io.frontier.protocol.tcp.TcpCommand;
import io.frontier.protocol.tcp.TcpFrameDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.security.GeneralSecurityException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes HelloX (PROTOCOL.md 1.6) on one connection of an edge that holds a key: HelloX payloads of any
 * bytes, a real handshake, then frames the device seals (its Hello, or any command, seq and payload),
 * frames changed after sealing, plain bytes, the clock moved and pushes sent. Besides what {@link FuzzHarness} checks of
 * every protocol, every frame the edge writes must be, until it answers a HelloX, a plain frame of a command
 * a server sends, and after the answer a frame that opens in order under the device's keys; a Bye of a code
 * of section 3 comes last.
 *
 * <p>Its inputs are in {@code TcpHelloXFuzzTestInputs/helloX} under the test resources.
 */
class TcpHelloXFuzzTest {
    private static final int HEADER = TcpFrameDecoder.HEADER_LENGTH;
    private static final int MAX_PAYLOAD = FuzzHarness.CONFIG.tcp().maxPayload();
    private static final long MAX_HELD = 8L * (HEADER + MAX_PAYLOAD);
    // Fixed keys: an input then means the same connection every time it runs.
    private static final byte[] SERVER_STATIC = new byte[32];
    private static final byte[] SERVER_PUBLIC;
    private static final byte[] KEY_ID;
    private static final HelloXKeys KEYS;
    // A configuration of its own, since the harness keeps one context per configuration and this one has keys.
    private static final EdgeConfig CONFIG = FuzzHarness.CONFIG.toBuilder().edgeId("hellox").build();
    private static final byte[] HELLO = TcpHello.newBuilder().setToken(FuzzHarness.TOKEN).setDeviceId("phone-1")
            .build().toByteArray();
    private static final int[] COMMANDS = {TcpCommand.NULL, TcpCommand.HELLO, TcpCommand.PING, TcpCommand.ACK,
            TcpCommand.HELLO_X, TcpCommand.PUSH, TcpCommand.DATA, TcpCommand.PROXY, TcpCommand.BYE, 0x05};
    private static final Set<Integer> SERVER_COMMANDS = Set.of(TcpCommand.HELLO, TcpCommand.PING, TcpCommand.DATA,
            TcpCommand.PUSH, TcpCommand.BYE);

    static {
        SERVER_STATIC[0] = 42;
        SERVER_PUBLIC = X25519.publicKey(SERVER_STATIC);
        KEY_ID = HelloX.keyId(SERVER_PUBLIC);
        KEYS = HelloXKeys.of(List.of(SERVER_STATIC));
    }

    @AfterAll
    static void restoreLogs() {
        FuzzHarness.restoreLogs();
    }

    @FuzzTest
    void helloX(FuzzedDataProvider data) throws GeneralSecurityException {
        FuzzHarness harness = FuzzHarness.start();
        SessionContext context = harness.context(CONFIG, KEYS);
        EmbeddedChannel channel = harness.open(context, new TcpSessionHandler(context));
        Device device = new Device();
        while (data.remainingBytes() > 0 && channel.isOpen()) {
            switch (data.consumeInt(0, 9)) {
                case 0 -> send(harness, channel, device, frame(TcpCommand.HELLO_X, data.consumeInt(0, 0xFFFF),
                        data.consumeBytes(data.consumeInt(0, MAX_PAYLOAD + 8))));
                case 1, 2 -> send(harness, channel, device, device.helloX(data.consumeInt(0, 0xFFFF), data.consumeBytes(32)));
                case 3, 4 -> send(harness, channel, device, device.seal(data.pickValue(COMMANDS), data.consumeInt(0, 0xFFFF),
                        data.consumeBytes(data.consumeInt(0, MAX_PAYLOAD))));
                case 5 -> {
                    byte[] sealed = device.seal(data.pickValue(COMMANDS), data.consumeInt(0, 0xFFFF),
                            data.consumeBytes(data.consumeInt(0, 64)));
                    int at = data.consumeInt(0, sealed.length - 1);
                    sealed[at] ^= (byte) data.consumeInt(1, 255);
                    send(harness, channel, device, sealed);
                }
                case 9 -> send(harness, channel, device, device.seal(TcpCommand.HELLO, data.consumeInt(0, 0xFFFF), HELLO));
                case 6 -> send(harness, channel, device, data.consumeBytes(data.consumeInt(1, 2 * (HEADER + MAX_PAYLOAD))));
                case 7 -> {
                    channel.advanceTimeBy(data.consumeLong(0, TimeUnit.MINUTES.toMillis(30)), TimeUnit.MILLISECONDS);
                    channel.runScheduledPendingTasks();
                }
                default -> harness.push(data.consumeBytes(data.consumeInt(0, 64)),
                        data.consumeBoolean() ? 0 : data.consumeLong(1, 60_000));
            }
            device.read(harness.written());
            harness.check(MAX_HELD);
        }
        boolean closed = !channel.isOpen();
        harness.finish();
        device.sent.close();
        if (closed && !device.edgeSaidBye && !device.sent.saidBye()) {
            throw new AssertionError("the edge closed the connection without a Bye");
        }
    }

    private static void send(FuzzHarness harness, EmbeddedChannel channel, Device device, byte[] bytes) {
        device.sent.write(bytes);
        channel.writeInbound(harness.buffer(bytes));
    }

    private static byte[] frame(int cmd, int seq, byte[] payload) {
        int length = Math.min(payload.length, 0xFFFF);
        return ByteBuffer.allocate(HEADER + length).put((byte) cmd).putShort((short) seq).putShort((short) length)
                .put(payload, 0, length).array();
    }

    /** A device that says HelloX when asked and seals once answered, and what the edge wrote to it. */
    private static final class Device {
        private final SentByDevice sent = new SentByDevice(MAX_PAYLOAD);
        private NoiseNk.Initiator handshake;
        private FrameCipher toEdge;
        private FrameCipher fromEdge;
        boolean edgeSaidBye;

        byte[] helloX(int seq, byte[] ephemeral) throws GeneralSecurityException {
            byte[] key = Arrays.copyOf(ephemeral, 32);
            handshake = NoiseNk.initiator(HelloX.prologue(HelloX.VERSION, KEY_ID), SERVER_PUBLIC, key);
            return frame(TcpCommand.HELLO_X, seq, HelloX.request(KEY_ID, handshake.writeMessage1(new byte[0])));
        }

        /** Returns the frame sealed once the edge answered, plain before. */
        byte[] seal(int cmd, int seq, byte[] payload) throws GeneralSecurityException {
            if (toEdge == null) {
                return frame(cmd, seq, payload);
            }
            ByteBuf out = Unpooled.buffer();
            toEdge.seal(cmd, seq, Unpooled.wrappedBuffer(payload, 0, Math.min(payload.length, FrameCipher.MAX_PLAINTEXT)),
                    out);
            return ByteBufUtil.getBytes(out);
        }

        void read(List<Object> written) {
            try {
                for (Object msg : written) {
                    if (edgeSaidBye) {
                        throw new AssertionError("the edge wrote after its Bye: " + msg);
                    }
                    ByteBuf frame = (ByteBuf) msg;
                    int cmd = frame.getUnsignedByte(frame.readerIndex());
                    int seq = frame.getUnsignedShort(frame.readerIndex() + 1);
                    int length = frame.getUnsignedShort(frame.readerIndex() + 3);
                    if (frame.readableBytes() != HEADER + length) {
                        throw new AssertionError("the edge wrote a malformed frame: length " + length + " in "
                                + frame.readableBytes() + " bytes");
                    }
                    byte[] payload = ByteBufUtil.getBytes(frame, frame.readerIndex() + HEADER, length);
                    if (fromEdge == null) {
                        plain(cmd, payload);
                    } else {
                        sealed(cmd, seq, payload);
                    }
                }
            } finally {
                FuzzHarness.release(written);
            }
        }

        private void plain(int cmd, byte[] payload) {
            if (cmd == TcpCommand.BYE) {
                bye(payload);
                return;
            }
            if (cmd != TcpCommand.HELLO_X) {
                // A connection that has not said HelloX is a plain one: pongs, a plain Hello's answer, pushes.
                if (!SERVER_COMMANDS.contains(cmd)) {
                    throw new AssertionError("the edge wrote a plain " + TcpCommand.name(cmd));
                }
                return;
            }
            if (handshake == null) {
                throw new AssertionError("the edge answered a HelloX the device did not send");
            }
            try {
                handshake.readMessage2(payload);
                NoiseNk.Keys keys = handshake.split();
                toEdge = new FrameCipher(keys.send());
                fromEdge = new FrameCipher(keys.receive());
            } catch (GeneralSecurityException e) {
                throw new AssertionError("the edge's HelloX answer does not decrypt", e);
            }
        }

        private void sealed(int cmd, int seq, byte[] payload) {
            if (!SERVER_COMMANDS.contains(cmd)) {
                throw new AssertionError("the edge wrote a sealed " + TcpCommand.name(cmd));
            }
            ByteBuf plain;
            try {
                plain = fromEdge.open(cmd, seq, Unpooled.wrappedBuffer(payload), UnpooledByteBufAllocator.DEFAULT);
            } catch (GeneralSecurityException e) {
                throw new AssertionError("a frame of the edge does not open: " + TcpCommand.name(cmd), e);
            }
            try {
                if (cmd == TcpCommand.BYE) {
                    bye(ByteBufUtil.getBytes(plain));
                }
            } finally {
                plain.release();
            }
        }

        private void bye(byte[] payload) {
            edgeSaidBye = true;
            Bye bye;
            try {
                bye = Bye.parseFrom(payload);
            } catch (InvalidProtocolBufferException e) {
                throw new AssertionError("the edge wrote a Bye that does not parse", e);
            }
            if (!FuzzHarness.BYE_CODES.contains(bye.getCode())) {
                throw new AssertionError("the edge said Bye " + bye.getCode() + ": " + bye.getReason());
            }
        }
    }
}
