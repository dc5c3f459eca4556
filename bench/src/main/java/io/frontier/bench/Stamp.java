package io.frontier.bench;

import io.netty.buffer.ByteBuf;
import java.nio.charset.StandardCharsets;

/** How a push's payload carries the time it was due and the time it was sent (System.nanoTime). */
enum Stamp {
    /** 16 bytes, two big-endian longs: bench/run's scenarios. */
    BINARY {
        @Override
        byte[] encode(long due, long sent) {
            byte[] b = new byte[16];
            putLong(b, 0, due);
            putLong(b, 8, sent);
            return b;
        }

        @Override
        long due(ByteBuf payload) {
            return payload.getLong(payload.readerIndex());
        }
    },
    /**
     * 32 hexadecimal ASCII digits: bench/compare's, for every server alike, since nchan delivers
     * WebSocket text frames, which must be valid UTF-8.
     */
    HEX {
        @Override
        byte[] encode(long due, long sent) {
            return String.format("%016x%016x", due, sent).getBytes(StandardCharsets.US_ASCII);
        }

        @Override
        long due(ByteBuf payload) {
            long v = 0;
            for (int i = payload.readerIndex(), end = i + 16; i < end; i++) {
                v = (v << 4) | Character.digit(payload.getByte(i), 16);
            }
            return v;
        }
    };

    abstract byte[] encode(long due, long sent);

    /** The time the push was due, from a payload this stamp encoded. */
    abstract long due(ByteBuf payload);

    private static void putLong(byte[] b, int off, long v) {
        for (int i = 7; i >= 0; i--) {
            b[off + i] = (byte) v;
            v >>>= 8;
        }
    }
}
