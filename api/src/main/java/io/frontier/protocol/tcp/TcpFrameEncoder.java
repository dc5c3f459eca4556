package io.frontier.protocol.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.EncoderException;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes {@link TcpFrame}s in the layout shown on {@link TcpFrameDecoder}: one
 * buffer per frame, header and payload together, so that a flush writes whole frames.
 */
@ChannelHandler.Sharable
public final class TcpFrameEncoder extends MessageToByteEncoder<TcpFrame> {
    /** The encoder keeps no state: one instance serves every channel. */
    public static final TcpFrameEncoder INSTANCE = new TcpFrameEncoder();

    private TcpFrameEncoder() {
        super(TcpFrame.class);
    }

    @Override
    protected ByteBuf allocateBuffer(ChannelHandlerContext ctx, TcpFrame frame, boolean preferDirect) {
        int size = TcpFrameDecoder.HEADER_LENGTH + frame.content().readableBytes();
        return preferDirect ? ctx.alloc().ioBuffer(size) : ctx.alloc().heapBuffer(size);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, TcpFrame frame, ByteBuf out) {
        ByteBuf payload = frame.content();
        int length = payload.readableBytes();
        if (length > 0xFFFF) {
            throw new EncoderException("payload: " + length + " bytes (expected: at most 65535)");
        }
        out.writeByte(frame.cmd());
        out.writeShort(frame.seq());
        out.writeShort(length);
        out.writeBytes(payload, payload.readerIndex(), length);
    }
}
