package io.frontier.edge.internal.transport.ws;

import io.frontier.api.v1.Frame;
import io.frontier.edge.internal.session.PushMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;

/**
 * The PUSH frame of PROTOCOL.md 2.2. In protobuf it is written field by field into one
 * pooled buffer, byte for byte what {@code Frame.toByteArray()} gives, because a push
 * goes to many connections (a broadcast to every one) and building a {@code Frame} for
 * each would cost a builder, a message and a copy of the payload apiece.
 */
final class PushFrames {
    private static final int SEQID = 1 << 3;
    private static final int LOGID = 2 << 3;
    private static final int SERVICE = 3 << 3;
    private static final int METHOD = 4 << 3;
    private static final int PAYLOAD_TYPE = 7 << 3 | 2;
    private static final int PAYLOAD = 8 << 3 | 2;
    // Six one-byte tags, the method's one-byte varint, three varints of at most ten bytes, two lengths of at most five.
    private static final int MAX_OVERHEAD = 6 + 1 + 3 * 10 + 2 * 5;

    private PushFrames() {
    }

    /** Returns the push as a protobuf {@code Frame}: omits, as protobuf does, the fields that hold their default. */
    static ByteBuf encode(ByteBufAllocator alloc, long seq, PushMessage message) {
        ByteBuf payload = message.payload();
        int payloadLength = payload.readableBytes();
        String payloadType = message.payloadType();
        int payloadTypeLength = ByteBufUtil.utf8Bytes(payloadType);
        ByteBuf out = alloc.buffer(MAX_OVERHEAD + payloadTypeLength + payloadLength);
        field(out, SEQID, seq);
        if (message.logid() != 0) {
            field(out, LOGID, message.logid());
        }
        if (message.service() != 0) {
            // An int32 is the varint of its 64-bit sign extension: ten bytes when negative.
            field(out, SERVICE, message.service());
        }
        field(out, METHOD, WsMethod.PUSH);
        if (payloadTypeLength > 0) {
            field(out, PAYLOAD_TYPE, payloadTypeLength);
            ByteBufUtil.reserveAndWriteUtf8(out, payloadType, payloadTypeLength);
        }
        if (payloadLength > 0) {
            field(out, PAYLOAD, payloadLength);
            out.writeBytes(payload, payload.readerIndex(), payloadLength);
        }
        return out;
    }

    /** Returns the push as a {@code Frame} message, for the JSON mapping. */
    static Frame frame(long seq, PushMessage message) {
        ByteBuf payload = message.payload();
        return Frame.newBuilder()
                .setSeqid(seq)
                .setLogid(message.logid())
                .setService(message.service())
                .setMethod(WsMethod.PUSH)
                .setPayloadType(message.payloadType())
                .setPayload(com.google.protobuf.UnsafeByteOperations.unsafeWrap(payload.nioBuffer()))
                .build();
    }

    /** Writes a tag and a varint: the value of a varint field, or the length of a length-delimited one. */
    private static void field(ByteBuf out, int tag, long value) {
        out.writeByte(tag);
        while ((value & ~0x7FL) != 0) {
            out.writeByte((int) (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.writeByte((int) value);
    }
}
