package io.frontier.status;

import io.frontier.api.v1.ClientType;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Writes and reads what {@link RedisUserStatus} stores: an entry under its device id in a user hash, and an
 * index record under its connection id in an edge index.
 *
 * <p>Both are one layout byte, {@code '1'}, then text fields, each written as its length in UTF-8 bytes, a
 * colon, and the bytes, so that the Lua scripts read them with {@code string.find} and {@code string.sub}
 * and no field needs escaping. An entry holds connectedAtMs (decimal), connId, edgeId, edgeInstance and
 * clientAddr; the user id, client type and device id are its key and field. For example
 * <pre>
 * 1 13:1700000000000 4:c-01 6:edge-1 5:run-7 14:10.0.0.7:40000       (an entry, without the spaces)
 * 1 5:alice 3:tcp 7:phone-1 5:run-7                                  (an index record)
 * </pre>
 * The Lua side of the entry layout is {@code prelude.lua}.
 */
final class RedisEntryCodec {

    private static final byte LAYOUT = '1';
    private static final int ENTRY_FIELDS = 5;
    private static final int INDEX_FIELDS = 4;

    private RedisEntryCodec() {
    }

    /** What an edge index holds about one connection: where its entry is, and which run of the edge held it. */
    record IndexRecord(String connId, String userId, ClientType clientType, String deviceId, String edgeInstance) {

        DeviceKey deviceKey() {
            return new DeviceKey(userId, clientType, deviceId);
        }
    }

    static byte[] encodeEntry(DeviceEntry entry) {
        return encode(Long.toString(entry.connectedAtMs()), entry.connId(), entry.edgeId(), entry.edgeInstance(),
                entry.clientAddr());
    }

    /**
     * Returns the entry stored under {@code deviceId} in the hash of ({@code userId}, {@code clientType}).
     *
     * @throws IllegalStateException if {@code value} is not an entry
     */
    static DeviceEntry decodeEntry(String userId, ClientType clientType, String deviceId, byte[] value) {
        List<String> fields = decode(value, ENTRY_FIELDS, "entry");
        try {
            return new DeviceEntry(userId, clientType, deviceId, fields.get(1), fields.get(2), fields.get(3),
                    fields.get(4), Long.parseLong(fields.get(0)));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("corrupt entry of user " + userId + " device " + deviceId + ": "
                    + e.getMessage(), e);
        }
    }

    static byte[] encodeIndex(DeviceEntry entry) {
        return encode(entry.userId(), RedisKeys.family(entry.clientType()), entry.deviceId(), entry.edgeInstance());
    }

    /**
     * Returns the index record stored under {@code connId}.
     *
     * @throws IllegalStateException if {@code value} is not an index record
     */
    static IndexRecord decodeIndex(String connId, byte[] value) {
        List<String> fields = decode(value, INDEX_FIELDS, "index record");
        return new IndexRecord(connId, fields.get(0), RedisKeys.clientType(fields.get(1)), fields.get(2),
                fields.get(3));
    }

    static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static byte[] encode(String... fields) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(64);
        out.write(LAYOUT);
        for (String field : fields) {
            byte[] bytes = utf8(field);
            out.writeBytes(Integer.toString(bytes.length).getBytes(StandardCharsets.US_ASCII));
            out.write(':');
            out.writeBytes(bytes);
        }
        return out.toByteArray();
    }

    private static List<String> decode(byte[] value, int count, String what) {
        if (value == null || value.length == 0 || value[0] != LAYOUT) {
            throw new IllegalStateException("corrupt " + what + ": no layout byte '1'");
        }
        List<String> fields = new ArrayList<>(count);
        int pos = 1;
        while (pos < value.length) {
            int length = 0;
            int digits = 0;
            while (pos < value.length && value[pos] >= '0' && value[pos] <= '9' && digits < 10) {
                length = length * 10 + (value[pos++] - '0');
                digits++;
            }
            if (digits == 0 || pos >= value.length || value[pos] != ':' || length > value.length - pos - 1) {
                throw new IllegalStateException("corrupt " + what + ": bad field at byte " + pos);
            }
            fields.add(new String(value, pos + 1, length, StandardCharsets.UTF_8));
            pos += length + 1;
        }
        if (fields.size() != count) {
            throw new IllegalStateException("corrupt " + what + ": " + fields.size() + " fields (expected: "
                    + count + ")");
        }
        return fields;
    }
}
