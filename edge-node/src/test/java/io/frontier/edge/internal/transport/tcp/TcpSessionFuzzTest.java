package io.frontier.edge.internal.transport.tcp;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.frontier.api.v1.Bye;
import io.frontier.api.v1.TcpHello;
import io.frontier.edge.FuzzHarness;
import io.frontier.edge.internal.session.SessionContext;
import io.frontier.protocol.tcp.TcpCommand;
import io.frontier.protocol.tcp.TcpFrameDecoder;
import io.netty.buffer.ByteBuf;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the feature phone's protocol (PROTOCOL.md 1) on one connection: any bytes, cut
 * anywhere, before and after a Hello that succeeds, with the clock moved and pushes sent in
 * between, through {@link TcpSessionHandler} (its decoder and the session) and, as a reference,
 * the {@link TcpFrameDecoder} that devices and tests use. {@link FuzzHarness} checks what every
 * protocol must hold; this class checks the frames the edge writes: whole, of a command a server
 * sends, a Bye of a code of section 3 and last, and a connection closed only after a Bye, the
 * edge's or the device's.
 *
 * <p>Its inputs (regression seeds and findings) are in {@code TcpSessionFuzzTestInputs/tcpSession}
 * under the test resources; the README says how to fuzz it for longer.
 */
class TcpSessionFuzzTest {
    private static final int HEADER = TcpFrameDecoder.HEADER_LENGTH;
    private static final int MAX_PAYLOAD = FuzzHarness.CONFIG.tcp().maxPayload();
    // A chunk as large as a socket read can bring, and the partial frame, cumulation may double.
    private static final long MAX_HELD = 8L * (HEADER + MAX_PAYLOAD);
    private static final int[] COMMANDS = {TcpCommand.NULL, TcpCommand.HELLO, TcpCommand.PING, TcpCommand.ACK,
            TcpCommand.HELLO_X, TcpCommand.PUSH, TcpCommand.DATA, TcpCommand.PROXY, TcpCommand.BYE, 0x05, 0xFF};
    private static final Set<Integer> SERVER_COMMANDS = Set.of(TcpCommand.HELLO, TcpCommand.PING, TcpCommand.DATA,
            TcpCommand.PUSH, TcpCommand.BYE);
    private static final byte[] HELLO = TcpHello.newBuilder().setToken(FuzzHarness.TOKEN).setDeviceId("phone-1").build()
            .toByteArray();

    @AfterAll
    static void restoreLogs() {
        FuzzHarness.restoreLogs();
    }

    @FuzzTest
    void tcpSession(FuzzedDataProvider data) {
        FuzzHarness harness = FuzzHarness.start();
        SessionContext context = harness.context(FuzzHarness.CONFIG);
        EmbeddedChannel channel = harness.open(context, new TcpSessionHandler(context));
        SentByDevice device = new SentByDevice(MAX_PAYLOAD);
        Edge edge = new Edge();
        if (data.consumeBoolean()) {
            send(harness, channel, device, frame(TcpCommand.HELLO, 1, HELLO));
        }
        while (data.remainingBytes() > 0 && channel.isOpen()) {
            switch (data.consumeInt(0, 7)) {
                case 0, 1, 2 -> send(harness, channel, device, data.consumeBytes(data.consumeInt(1, 2 * (HEADER + MAX_PAYLOAD))));
                case 3 -> send(harness, channel, device, frame(data.pickValue(COMMANDS), data.consumeInt(0, 0xFFFF),
                        data.consumeBytes(data.consumeInt(0, MAX_PAYLOAD + 8))));
                case 4 -> send(harness, channel, device, frame(TcpCommand.HELLO, data.consumeInt(0, 0xFFFF), HELLO));
                case 5 -> {
                    channel.advanceTimeBy(data.consumeLong(0, TimeUnit.MINUTES.toMillis(30)), TimeUnit.MILLISECONDS);
                    channel.runScheduledPendingTasks();
                }
                case 6 -> harness.push(data.consumeBytes(data.consumeInt(0, 64)),
                        data.consumeBoolean() ? 0 : data.consumeLong(1, 60_000));
                default -> channel.runPendingTasks();
            }
            edge.read(harness.written());
            harness.check(MAX_HELD);
        }
        boolean closed = !channel.isOpen();
        harness.finish();
        device.close();
        if (closed && !edge.saidBye && !device.saidBye()) {
            throw new AssertionError("the edge closed the connection without a Bye");
        }
    }

    private static void send(FuzzHarness harness, EmbeddedChannel channel, SentByDevice device, byte[] bytes) {
        device.write(bytes);
        channel.writeInbound(harness.buffer(bytes));
    }

    private static byte[] frame(int cmd, int seq, byte[] payload) {
        int length = Math.min(payload.length, 0xFFFF);
        return ByteBuffer.allocate(HEADER + length).put((byte) cmd).putShort((short) seq).putShort((short) length)
                .put(payload, 0, length).array();
    }

    /** What the edge wrote: one whole frame per write, of a command a server sends, and nothing after its Bye. */
    private static final class Edge {
        boolean saidBye;

        void read(List<Object> written) {
            try {
                for (Object msg : written) {
                    if (saidBye) {
                        throw new AssertionError("the edge wrote after its Bye: " + msg);
                    }
                    ByteBuf frame = (ByteBuf) msg;
                    int cmd = frame.getUnsignedByte(frame.readerIndex());
                    int length = frame.getUnsignedShort(frame.readerIndex() + 3);
                    if (frame.readableBytes() != HEADER + length || !SERVER_COMMANDS.contains(cmd)) {
                        throw new AssertionError("the edge wrote a malformed frame: cmd " + cmd + ", length " + length
                                + " in " + frame.readableBytes() + " bytes");
                    }
                    if (cmd == TcpCommand.BYE) {
                        saidBye = true;
                        byeCode(frame.nioBuffer(frame.readerIndex() + HEADER, length));
                    }
                }
            } finally {
                FuzzHarness.release(written);
            }
        }

        private static void byeCode(ByteBuffer payload) {
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
