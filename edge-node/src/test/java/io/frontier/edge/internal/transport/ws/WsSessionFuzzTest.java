package io.frontier.edge.internal.transport.ws;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import io.frontier.api.v1.Frame;
import io.frontier.edge.EdgeConfig;
import io.frontier.edge.FuzzHarness;
import io.frontier.edge.internal.session.SessionContext;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzzes the WebSocket protocol (PROTOCOL.md 2) on one connection through the production
 * pipeline ({@link WsServerInitializer}): after an upgrade that succeeds, on either
 * sub-protocol, with or without permessage-deflate, WebSocket frames of any header, mask and
 * fragmentation carrying {@code Frame}s or any bytes, with the clock moved and pushes sent in
 * between. {@link FuzzHarness} checks what every protocol must hold.
 *
 * <p>Its inputs (regression seeds and findings) are in {@code WsSessionFuzzTestInputs/wsSession}
 * under the test resources; the README says how to fuzz it for longer.
 */
class WsSessionFuzzTest {
    private static final EdgeConfig PLAIN = FuzzHarness.CONFIG;
    private static final EdgeConfig DEFLATE = PLAIN.toBuilder().wsCompression(true).build();
    // Built once per configuration, as an edge does: the protocol configuration is shared.
    private static final WsServerInitializer PLAIN_PIPELINE = new WsServerInitializer(() -> null);
    private static final WsServerInitializer DEFLATE_PIPELINE = new WsServerInitializer(() -> null);
    private static final int MAX_MESSAGE = PLAIN.ws().maxMessage();
    // The frame decoder's, the aggregator's and the inflater's bytes, each bounded by the message limit.
    private static final long MAX_HELD = 16L * MAX_MESSAGE;
    private static final int TEXT = 0x1;
    private static final int BINARY = 0x2;
    private static final int CONTINUATION = 0x0;
    private static final int[] OPCODES = {CONTINUATION, TEXT, BINARY, 0x8, 0x9, 0xA, 0x3, 0xB};
    private static final String[] HEADER_KEYS = {"code", "reason", "status", "message", "", "k"};
    private static final JsonFormat.Printer JSON = JsonFormat.printer().omittingInsignificantWhitespace();

    @AfterAll
    static void restoreLogs() {
        FuzzHarness.restoreLogs();
    }

    @FuzzTest
    void wsSession(FuzzedDataProvider data) {
        boolean json = data.consumeBoolean();
        boolean deflate = data.consumeBoolean();
        FuzzHarness harness = FuzzHarness.start();
        SessionContext context = harness.context(deflate ? DEFLATE : PLAIN);
        WsServerInitializer pipeline = deflate ? DEFLATE_PIPELINE : PLAIN_PIPELINE;
        EmbeddedChannel channel = harness.open(context, new ChannelInitializer<Channel>() {
            @Override
            protected void initChannel(Channel ch) {
                pipeline.addHandlers(ch.pipeline(), context);
            }
        });
        channel.writeInbound(harness.buffer(upgrade(json, deflate)));
        FuzzHarness.release(harness.written());
        if (!channel.isOpen() || context.registry().size() != 1) {
            throw new IllegalStateException("the upgrade did not bring the device online: " + harness.closes());
        }
        while (data.remainingBytes() > 0 && channel.isOpen()) {
            switch (data.consumeInt(0, 7)) {
                case 0, 1 -> sendFrame(harness, channel, data, json, deflate);
                case 2 -> channel.writeInbound(harness.buffer(WsWire.frame(data.consumeInt(0, 0xFF),
                        data.consumeBytes(data.consumeInt(0, MAX_MESSAGE + 16)), mask(data))));
                case 3 -> channel.writeInbound(harness.buffer(data.consumeBytes(data.consumeInt(1, 64))));
                case 4 -> {
                    channel.advanceTimeBy(data.consumeLong(0, TimeUnit.MINUTES.toMillis(2)), TimeUnit.MILLISECONDS);
                    channel.runScheduledPendingTasks();
                }
                case 5 -> harness.push(data.consumeBytes(data.consumeInt(0, 64)),
                        data.consumeBoolean() ? 0 : data.consumeLong(1, 60_000));
                case 6 -> {
                    // A message that inflates far past the limit from a few bytes on the wire.
                    byte[] zeros = new byte[data.consumeInt(0, 64 * MAX_MESSAGE)];
                    channel.writeInbound(harness.buffer(WsWire.frame(0x80 | 0x40 | data.pickValue(new int[] {TEXT, BINARY}),
                            WsWire.deflate(zeros), mask(data))));
                }
                default -> channel.runPendingTasks();
            }
            FuzzHarness.release(harness.written());
            harness.check(MAX_HELD);
        }
        harness.finish();
    }

    /** Sends one {@code Frame} (or bytes) as a message of one to three fragments, deflated when negotiated. */
    private static void sendFrame(FuzzHarness harness, EmbeddedChannel channel, FuzzedDataProvider data, boolean json,
                                  boolean deflate) {
        byte[] message = data.consumeBoolean() ? encode(frame(data), json) : data.consumeBytes(data.consumeInt(0, 256));
        boolean text = data.consumeInt(0, 7) == 0 ? !json : json;
        boolean compressed = deflate && data.consumeBoolean();
        if (compressed) {
            message = WsWire.deflate(message);
        }
        int pieces = data.consumeInt(1, 3);
        int start = 0;
        for (int i = 0; i < pieces && channel.isOpen(); i++) {
            int end = i == pieces - 1 ? message.length : data.consumeInt(start, message.length);
            int first = (i == pieces - 1 ? 0x80 : 0) | (i == 0 && compressed ? 0x40 : 0)
                    | (i == 0 ? (text ? TEXT : BINARY) : CONTINUATION);
            channel.writeInbound(harness.buffer(WsWire.frame(first, Arrays.copyOfRange(message, start, end), mask(data))));
            start = end;
            if (data.consumeInt(0, 7) == 0 && channel.isOpen()) {
                // A control frame may come between the fragments of a message.
                channel.writeInbound(harness.buffer(WsWire.frame(0x80 | data.pickValue(new int[] {0x9, 0xA}),
                        data.consumeBytes(data.consumeInt(0, 130)), mask(data))));
            }
        }
    }

    private static Frame frame(FuzzedDataProvider data) {
        Frame.Builder frame = Frame.newBuilder()
                .setMethod(data.consumeInt(0, 6))
                .setSeqid(data.consumeLong())
                .setLogid(data.consumeLong())
                .setService(data.consumeInt())
                .setPayloadEncoding(data.consumeString(8))
                .setPayloadType(data.consumeString(8));
        for (int i = data.consumeInt(0, 40); i > 0; i--) {
            frame.addHeaders(Frame.ExtendedEntry.newBuilder()
                    .setKey(data.consumeBoolean() ? data.pickValue(HEADER_KEYS) : data.consumeString(80))
                    .setValue(data.consumeBoolean() ? Integer.toString(data.consumeInt()) : data.consumeString(1100)));
        }
        return frame.setPayload(ByteString.copyFrom(data.consumeBytes(data.consumeInt(0, MAX_MESSAGE)))).build();
    }

    private static byte[] encode(Frame frame, boolean json) {
        if (!json) {
            return frame.toByteArray();
        }
        try {
            return JSON.print(frame).getBytes(StandardCharsets.UTF_8);
        } catch (InvalidProtocolBufferException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Returns a client's mask key, or now and then none: a server must refuse unmasked frames. */
    private static byte[] mask(FuzzedDataProvider data) {
        return data.consumeInt(0, 31) == 0 ? null : new byte[] {data.consumeByte(), 1, 2, 3};
    }

    private static byte[] upgrade(boolean json, boolean deflate) {
        return ("GET /ws?device_id=phone-1 HTTP/1.1\r\n"
                + "Host: edge\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
                + "Sec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Protocol: " + (json ? "frontier.json" : "frontier.pb") + "\r\n"
                + (deflate ? "Sec-WebSocket-Extensions: permessage-deflate\r\n" : "")
                + "Authorization: Bearer " + FuzzHarness.TOKEN + "\r\n"
                + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }
}
