package io.frontier.edge.internal.transport.ws;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.zip.Deflater;

/** A client's side of the WebSocket wire, for tests that write its bytes themselves. */
final class WsWire {
    private WsWire() {
    }

    /**
     * Returns one frame (RFC 6455 5.2) whose first byte is {@code first} (FIN, RSV and opcode),
     * masked with {@code mask} as a client's must be, or unmasked when it is null.
     */
    static byte[] frame(int first, byte[] payload, byte[] mask) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(payload.length + 14);
        out.write(first);
        int masked = mask != null ? 0x80 : 0;
        if (payload.length < 126) {
            out.write(masked | payload.length);
        } else if (payload.length < 65536) {
            out.write(masked | 126);
            out.write(payload.length >>> 8);
            out.write(payload.length);
        } else {
            out.write(masked | 127);
            for (int shift = 56; shift >= 0; shift -= 8) {
                out.write((int) ((long) payload.length >>> shift));
            }
        }
        if (mask == null) {
            out.writeBytes(payload);
            return out.toByteArray();
        }
        out.writeBytes(mask);
        for (int i = 0; i < payload.length; i++) {
            out.write(payload[i] ^ mask[i & 3]);
        }
        return out.toByteArray();
    }

    /** Compresses one message as permessage-deflate sends it (RFC 7692 7.2.1): sync flush, tail removed. */
    static byte[] deflate(byte[] data) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
        deflater.setInput(data);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        int n;
        while ((n = deflater.deflate(buffer, 0, buffer.length, Deflater.SYNC_FLUSH)) > 0) {
            out.write(buffer, 0, n);
        }
        deflater.end();
        byte[] flushed = out.toByteArray();
        return Arrays.copyOf(flushed, flushed.length - 4);
    }
}
