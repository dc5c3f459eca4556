package io.frontier.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code ctl} pointed at a device port says so, rather than print gRPC's "http2 exception". */
class NotGrpcTargetTest {
    /** What the TCP device port answers to the HTTP/2 preface: Bye 413 (the "frame" is over the limit). */
    private static final byte[] TCP_BYE = HexFormat.of().parseHex("0f0000000e089d031209746f6f206c61726765");
    /** What the WebSocket port answers: an HTTP/1.1 error. */
    private static final byte[] HTTP_400 =
            "HTTP/1.1 400 Bad Request\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    @ParameterizedTest(name = "{0} port")
    @ValueSource(strings = {"tcp", "ws"})
    void adminAndPushCommands_sayTheTargetDoesNotSpeakGrpc_andExit3(String port) throws Exception {
        try (NotGrpcPort device = new NotGrpcPort(port.equals("tcp") ? TCP_BYE : HTTP_400)) {
            for (List<String> command : List.of(List.of("user", "alice"), List.of("routes"),
                    List.of("push", "--user", "alice", "--text", "hi"))) {
                Ctl ctl = Ctl.run(Stream.concat(command.stream(), Stream.of("--target", device.target()))
                        .toArray(String[]::new));
                assertThat(ctl.exitCode()).as(ctl.toString()).isEqualTo(FrontierCtl.UNREACHABLE);
                assertThat(ctl.err()).as(ctl.toString()).isEqualTo(command.get(0) + " failed: " + device.target()
                        + " does not speak gRPC: is it the gateway's gRPC port (--grpc-port)?" + System.lineSeparator());
            }
        }
    }
}
