package io.frontier.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.frontier.api.v1.ClientType;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

class DeviceEntryTest {

    @Test
    void constructor_withValidFields_keepsThem() {
        DeviceEntry entry = new DeviceEntry("u1", ClientType.CLIENT_TYPE_WS, "d1", "c1", "edge-1", "run-1",
                "10.0.0.7:40000", 42);

        assertThat(entry.userId()).isEqualTo("u1");
        assertThat(entry.clientType()).isEqualTo(ClientType.CLIENT_TYPE_WS);
        assertThat(entry.deviceId()).isEqualTo("d1");
        assertThat(entry.connId()).isEqualTo("c1");
        assertThat(entry.edgeId()).isEqualTo("edge-1");
        assertThat(entry.edgeInstance()).isEqualTo("run-1");
        assertThat(entry.clientAddr()).isEqualTo("10.0.0.7:40000");
        assertThat(entry.connectedAtMs()).isEqualTo(42);
    }

    @Test
    void constructor_withEmptyInstanceAndAddressAndZeroTime_accepts() {
        DeviceEntry entry = new DeviceEntry("u1", ClientType.CLIENT_TYPE_TCP, "d1", "c1", "edge-1", "", "", 0);

        assertThat(entry.edgeInstance()).isEmpty();
        assertThat(entry.clientAddr()).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"userId", "deviceId", "connId", "edgeId"})
    void constructor_withBlankId_throwsNamingTheField(String field) {
        assertThatThrownBy(() -> entryWith(field, " \t"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(field + ": \" \t\" (expected: non-blank)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"userId", "deviceId", "connId", "edgeId"})
    void constructor_withNullId_throwsNamingTheField(String field) {
        assertThatThrownBy(() -> entryWith(field, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage(field + ": null (expected: non-blank)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"edgeInstance", "clientAddr"})
    void constructor_withNullOptionalText_throwsNamingTheField(String field) {
        assertThatThrownBy(() -> entryWith(field, null))
                .isInstanceOf(NullPointerException.class)
                .hasMessage(field + ": null (expected: non-null)");
    }

    @ParameterizedTest
    @EnumSource(value = ClientType.class, names = {"CLIENT_TYPE_UNSPECIFIED", "UNRECOGNIZED"})
    void constructor_withClientTypeNeitherTcpNorWs_throws(ClientType clientType) {
        assertThatThrownBy(() -> new DeviceEntry("u1", clientType, "d1", "c1", "edge-1", "run-1", "", 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("clientType: " + clientType + " (expected: CLIENT_TYPE_TCP or CLIENT_TYPE_WS)");
    }

    @Test
    void constructor_withNullClientType_throws() {
        assertThatThrownBy(() -> new DeviceEntry("u1", null, "d1", "c1", "edge-1", "run-1", "", 0))
                .isInstanceOf(NullPointerException.class)
                .hasMessageStartingWith("clientType: null");
    }

    @Test
    void constructor_withNegativeTime_throws() {
        assertThatThrownBy(() -> new DeviceEntry("u1", ClientType.CLIENT_TYPE_TCP, "d1", "c1", "edge-1", "", "", -1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("connectedAtMs: -1 (expected: >= 0)");
    }

    private static DeviceEntry entryWith(String field, String value) {
        return new DeviceEntry(
                field.equals("userId") ? value : "u1",
                ClientType.CLIENT_TYPE_TCP,
                field.equals("deviceId") ? value : "d1",
                field.equals("connId") ? value : "c1",
                field.equals("edgeId") ? value : "edge-1",
                field.equals("edgeInstance") ? value : "run-1",
                field.equals("clientAddr") ? value : "10.0.0.7:40000",
                1_000);
    }
}
