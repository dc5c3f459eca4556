package io.frontier.protocol.tcp;

import io.frontier.protocol.StatusCode;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Reassembles {@link TcpFrame}s from a byte stream that may split or coalesce them
 * at any boundary.
 *
 * <pre>
 *  0        1        2        3        4        5 ...
 * +--------+--------+--------+--------+--------+-----------------+
 * |  cmd   |      seq (u16)  |   len (u16)     | payload[len]    |
 * +--------+--------+--------+--------+--------+-----------------+
 *
 * Ping, seq 7:                        02 0007 0000
 * Data, seq 2, service 1001, "hi":    0a 0002 0007 08e907 12026869
 * </pre>
 *
 * <p>A frame whose length is over the limit fails with a {@link TcpProtocolException}
 * of code 413, an unknown cmd with 400. After a violation the decoder discards
 * everything else it receives: the connection is about to close, and nothing after
 * a broken frame can be trusted.
 */
public final class TcpFrameDecoder extends ByteToMessageDecoder {
    /** Bytes before the payload: cmd, seq, len. */
    public static final int HEADER_LENGTH = 5;
    private static final int LENGTH_OFFSET = 3;

    private final int maxPayloadLength;
    private boolean failed;

    /**
     * Creates a decoder that refuses payloads longer than {@code maxPayloadLength}.
     *
     * @throws IllegalArgumentException when the limit is outside 0..65535
     */
    public TcpFrameDecoder(int maxPayloadLength) {
        if (maxPayloadLength < 0 || maxPayloadLength > 0xFFFF) {
            throw new IllegalArgumentException("maxPayloadLength: " + maxPayloadLength + " (expected: 0..65535)");
        }
        this.maxPayloadLength = maxPayloadLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < HEADER_LENGTH) {
            return;
        }
        int start = in.readerIndex();
        int cmd = in.getUnsignedByte(start);
        if (!TcpCommand.isKnown(cmd)) {
            fail(in, StatusCode.BAD_REQUEST, "unknown cmd " + TcpCommand.name(cmd));
        }
        int length = in.getUnsignedShort(start + LENGTH_OFFSET);
        if (length > maxPayloadLength) {
            fail(in, StatusCode.TOO_LARGE, "frame of " + length + " bytes over the limit of " + maxPayloadLength);
        }
        if (in.readableBytes() < HEADER_LENGTH + length) {
            return;
        }
        int seq = in.getUnsignedShort(start + 1);
        in.skipBytes(HEADER_LENGTH);
        out.add(new TcpFrame(cmd, seq, in.readRetainedSlice(length)));
    }

    private void fail(ByteBuf in, int code, String reason) {
        failed = true;
        in.skipBytes(in.readableBytes());
        throw new TcpProtocolException(code, reason);
    }
}
