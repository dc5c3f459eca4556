package io.frontier.protocol.tcp;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.DefaultByteBufHolder;
import io.netty.buffer.Unpooled;

/**
 * One TCP frame: cmd, seq and payload. The payload is reference counted; whoever
 * receives a frame releases it.
 */
public final class TcpFrame extends DefaultByteBufHolder {
    private final int cmd;
    private final int seq;

    /**
     * Creates a frame that takes ownership of {@code payload}.
     *
     * @throws IllegalArgumentException when cmd is not a byte or seq not a u16
     */
    public TcpFrame(int cmd, int seq, ByteBuf payload) {
        super(payload);
        if (cmd < 0 || cmd > 0xFF) {
            throw new IllegalArgumentException("cmd: " + cmd + " (expected: 0..255)");
        }
        if (seq < 0 || seq > 0xFFFF) {
            throw new IllegalArgumentException("seq: " + seq + " (expected: 0..65535)");
        }
        this.cmd = cmd;
        this.seq = seq;
    }

    /** Returns a frame with an empty payload. */
    public static TcpFrame empty(int cmd, int seq) {
        return new TcpFrame(cmd, seq, Unpooled.EMPTY_BUFFER);
    }

    /** Returns a frame whose payload wraps {@code payload} without copying. */
    public static TcpFrame of(int cmd, int seq, byte[] payload) {
        return new TcpFrame(cmd, seq, payload.length == 0 ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(payload));
    }

    public int cmd() {
        return cmd;
    }

    public int seq() {
        return seq;
    }

    /** Returns the payload as a byte array (a copy). */
    public byte[] payloadBytes() {
        return ByteBufUtil.getBytes(content());
    }

    @Override
    public TcpFrame replace(ByteBuf content) {
        return new TcpFrame(cmd, seq, content);
    }

    @Override
    public TcpFrame retain() {
        super.retain();
        return this;
    }

    @Override
    public TcpFrame touch(Object hint) {
        super.touch(hint);
        return this;
    }

    @Override
    public String toString() {
        return TcpCommand.name(cmd) + "(seq=" + seq + ", len=" + content().readableBytes() + ")";
    }
}
