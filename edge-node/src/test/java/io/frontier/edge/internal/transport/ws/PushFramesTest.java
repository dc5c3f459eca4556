package io.frontier.edge.internal.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontier.edge.internal.session.PushMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The protobuf PUSH frame written field by field is what protobuf itself writes. */
class PushFramesTest {
    private static void assertSameAsProtobuf(long seq, PushMessage message) {
        ByteBuf encoded = PushFrames.encode(PooledByteBufAllocator.DEFAULT, seq, message);
        try {
            assertThat(ByteBufUtil.getBytes(encoded)).isEqualTo(PushFrames.frame(seq, message).toByteArray());
        } finally {
            encoded.release();
            assertThat(message.payload().release()).as("the payload stays the caller's").isTrue();
        }
    }

    private static ByteBuf payload(int length) {
        byte[] bytes = new byte[length];
        Arrays.fill(bytes, (byte) 'p');
        return Unpooled.buffer(length).writeBytes(bytes);
    }

    @Test
    void defaultFields_areOmitted() {
        assertSameAsProtobuf(1, new PushMessage(payload(1), "", 0, 0));
        assertSameAsProtobuf(1, new PushMessage(payload(0), "", 0, 0));
    }

    @Test
    void everyField_withLongVarints_negativeService_andUtf8PayloadType() {
        assertSameAsProtobuf(Long.MAX_VALUE, new PushMessage(payload(70_000), "tëxt/plain; 字", -5, -1L));
        assertSameAsProtobuf(65_536, new PushMessage(payload(300), "application/json", Integer.MAX_VALUE, 1L << 35));
    }

    @Test
    void aPayloadPartlyRead_isWrittenFromItsReaderIndex() {
        ByteBuf payload = Unpooled.copiedBuffer("skip:news", StandardCharsets.UTF_8);
        payload.skipBytes(5);
        assertSameAsProtobuf(3, new PushMessage(payload, "text", 9, 77));
    }
}
