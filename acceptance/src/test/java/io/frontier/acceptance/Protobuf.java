package io.frontier.acceptance;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Just enough of the protobuf wire format for the TCP protocol's messages (PROTOCOL.md 1.4):
 * varint and length-delimited fields, written and read by hand so that the device shares no
 * code with the server.
 */
final class Protobuf {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();

    Protobuf string(int field, String value) {
        return bytes(field, value.getBytes(StandardCharsets.UTF_8));
    }

    Protobuf bytes(int field, byte[] value) {
        varint((long) field << 3 | 2);
        varint(value.length);
        out.writeBytes(value);
        return this;
    }

    Protobuf int32(int field, int value) {
        varint((long) field << 3);
        varint(value < 0 ? value & 0xFFFFFFFFFFFFFFFFL : value);
        return this;
    }

    byte[] toBytes() {
        return out.toByteArray();
    }

    private void varint(long value) {
        while ((value & ~0x7FL) != 0) {
            out.write((int) (value & 0x7F) | 0x80);
            value >>>= 7;
        }
        out.write((int) value);
    }

    /** Decodes a message's fields: a varint as a Long, a length-delimited field as a byte[]; the last of a repeated one. */
    static Map<Integer, Object> parse(byte[] message) {
        Map<Integer, Object> fields = new HashMap<>();
        int[] at = {0};
        while (at[0] < message.length) {
            long key = readVarint(message, at);
            int field = (int) (key >>> 3);
            switch ((int) (key & 7)) {
                case 0 -> fields.put(field, readVarint(message, at));
                case 2 -> {
                    int length = (int) readVarint(message, at);
                    byte[] value = new byte[length];
                    System.arraycopy(message, at[0], value, 0, length);
                    at[0] += length;
                    fields.put(field, value);
                }
                default -> throw new IllegalArgumentException("wire type " + (key & 7) + " in a TCP protocol message");
            }
        }
        return fields;
    }

    static String string(Map<Integer, Object> fields, int field) {
        Object value = fields.get(field);
        return value == null ? "" : new String((byte[]) value, StandardCharsets.UTF_8);
    }

    static long number(Map<Integer, Object> fields, int field) {
        Object value = fields.get(field);
        return value == null ? 0 : (Long) value;
    }

    private static long readVarint(byte[] bytes, int[] at) {
        long value = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = bytes[at[0]++];
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                return value;
            }
        }
        throw new IllegalArgumentException("varint too long");
    }
}
