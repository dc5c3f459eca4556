package io.frontier.status;

import static io.frontier.status.Entries.tcp;
import static io.frontier.status.Entries.ws;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frontier.api.v1.ClientType;
import io.frontier.status.RedisEntryCodec.IndexRecord;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class RedisEntryCodecTest {

    @Test
    void entry_isLayoutByteThenLengthPrefixedFields() {
        DeviceEntry entry = new DeviceEntry("alice", ClientType.CLIENT_TYPE_TCP, "phone-1", "c-01", "edge-1",
                "run-7", "10.0.0.7:40000", 1_700_000_000_000L);

        assertThat(text(RedisEntryCodec.encodeEntry(entry)))
                .isEqualTo("1" + "13:1700000000000" + "4:c-01" + "6:edge-1" + "5:run-7" + "14:10.0.0.7:40000");
    }

    @Test
    void entry_roundTripsWithMultiByteAndEmptyFields() {
        DeviceEntry entry = new DeviceEntry("用户", ClientType.CLIENT_TYPE_WS, "d:1", "c-\uD83D\uDE00", "e:1", "",
                "", 0);

        byte[] encoded = RedisEntryCodec.encodeEntry(entry);

        assertThat(text(encoded)).isEqualTo("11:06:c-\uD83D\uDE003:e:10:0:");
        assertThat(RedisEntryCodec.decodeEntry("用户", ClientType.CLIENT_TYPE_WS, "d:1", encoded)).isEqualTo(entry);
    }

    @Test
    void indexRecord_roundTrips() {
        DeviceEntry entry = ws("alice", "tablet").conn("c-9").edge("edge-2", "run-3").build();

        byte[] encoded = RedisEntryCodec.encodeIndex(entry);

        assertThat(text(encoded)).isEqualTo("15:alice2:ws6:tablet5:run-3");
        assertThat(RedisEntryCodec.decodeIndex("c-9", encoded))
                .isEqualTo(new IndexRecord("c-9", "alice", ClientType.CLIENT_TYPE_WS, "tablet", "run-3"));
    }

    @Test
    void decode_ofForeignBytes_throwsCorrupt() {
        assertThatThrownBy(() -> decodeEntry("x"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("corrupt entry: no layout byte '1'");
        assertThatThrownBy(() -> decodeEntry("199:a"))
                .hasMessage("corrupt entry: bad field at byte 3");
        assertThatThrownBy(() -> decodeEntry("11:1"))
                .hasMessage("corrupt entry: 1 fields (expected: 5)");
        assertThatThrownBy(() -> decodeEntry("11:x1:c1:e0:0:"))
                .hasMessageStartingWith("corrupt entry of user u1 device d1: For input string");
        assertThatThrownBy(() -> RedisEntryCodec.decodeIndex("c1", RedisEntryCodec.utf8("11:u3:sms1:d0:")))
                .hasMessage("corrupt index record: client type sms (expected: tcp or ws)");
    }

    @Test
    void decode_ofEntryWithBlankId_throwsCorrupt() {
        byte[] blankConn = RedisEntryCodec.encodeEntry(tcp("u1", "d1").conn("c1").build());
        String text = text(blankConn).replace("2:c1", "2:  ");

        assertThatThrownBy(() -> decodeEntry(text))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("corrupt entry of user u1 device d1: connId");
    }

    private static DeviceEntry decodeEntry(String text) {
        return RedisEntryCodec.decodeEntry("u1", ClientType.CLIENT_TYPE_TCP, "d1", RedisEntryCodec.utf8(text));
    }

    private static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
