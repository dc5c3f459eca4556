package io.frontier.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** {@code --log-format json} of the distribution: one JSON object per line, with the node and a close's fields. */
class LogFormatIT {
    @Test
    void jsonLogs_areOneObjectPerLine_namingTheNode_andACloseCarriesItsConnAndCode() {
        try (StandaloneGateway gateway = StandaloneGateway.start("--log-format", "json", "--edge-id", "edge-json")) {
            try (RawTcpDevice device = RawTcpDevice.connect(gateway.tcpPort())) {
                assertThat(device.hello("not-a-token", "phone-1").cmd()).isEqualTo(RawTcpDevice.BYE);
            }
            gateway.node().awaitOutput("\"message\":\"conn [^\"]*: closing with Bye 401", Duration.ofSeconds(20));
            List<String> lines = gateway.node().output().lines().filter(line -> line.startsWith("{")).toList();
            assertThat(lines).hasSizeGreaterThanOrEqualTo(2);
            for (String line : lines) {
                JsonObject event = JsonParser.parseString(line).getAsJsonObject();
                assertThat(Instant.parse(event.get("timestamp").getAsString())).isNotNull();
                assertThat(event.get("level").getAsString()).isIn("INFO", "WARN", "ERROR");
                assertThat(event.get("logger").getAsString()).startsWith("io.frontier.");
                assertThat(event.get("message").getAsString()).isNotBlank();
                assertThat(event.get("node").getAsString()).isEqualTo("edge-json");
            }
            JsonObject close = lines.stream().map(line -> JsonParser.parseString(line).getAsJsonObject())
                    .filter(event -> event.get("message").getAsString().contains("closing with Bye 401"))
                    .findFirst().orElseThrow();
            assertThat(close.get("code").getAsInt()).isEqualTo(401);
            assertThat(close.get("conn").getAsString()).startsWith("127.0.0.1:");
            assertThat(gateway.node().output()).as("no text line beside the JSON")
                    .doesNotContainPattern("(?m)^\\d{4}-\\d{2}-\\d{2}T\\S+ (INFO|WARN|ERROR) ");
        }
    }

    @Test
    void anotherFormat_isABadSetting() {
        Ctl.Result bad = Ctl.exec(List.of(Distribution.frontier().toString(), "standalone", "--log-format", "xml"),
                Map.of());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err()).contains("--log-format", "xml (expected: text or json)");
    }
}
