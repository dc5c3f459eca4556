package io.frontier.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import io.frontier.testing.ThrowawayCa;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.time.Instant;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Devices over TLS to a gateway of the distribution: a feature phone with the JDK's TLS client on the TCP
 * protocol's TLS port, a smartphone with Node's over wss://, each trusting only the CA that issued the
 * gateway's certificate and checking that it names 127.0.0.1; and a certificate renewed on disk that new
 * connections get without a restart.
 */
class DeviceTlsIT {
    @TempDir
    Path dir;

    private final ThrowawayCa ca = ThrowawayCa.create("device-tls-ca");
    private Path caPem;
    private ThrowawayCa.Identity served;
    private int tcpTlsPort;
    private int wssPort;
    private StandaloneGateway gateway;

    @BeforeEach
    void start() {
        caPem = ca.writeCertificate(dir.resolve("ca.pem"));
        served = ca.issue("gateway", dir.resolve("served"));
        tcpTlsPort = Ports.free();
        wssPort = Ports.free();
        gateway = StandaloneGateway.start("--tcp-tls-port", "" + tcpTlsPort, "--wss-port", "" + wssPort,
                "--device-tls-cert", served.cert().toString(), "--device-tls-key", served.key().toString());
    }

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void featurePhoneOverTls_andSmartphoneOverWss_comeOnline_andGetTheirPushes() {
        // The banner is printed line by line after "is running": wait for its last TLS line.
        gateway.node().awaitOutput("smartphones \\(WSS\\)", FrontierNode.START);
        assertThat(gateway.node().output()).contains("feature phones (TLS)", "smartphones (WSS)");
        try (RawTcpDevice phone = RawTcpDevice.connectTls(tcpTlsPort, caPem)) {
            RawTcpDevice.Frame hello = phone.hello(gateway.token("tls-alice", "phone-1"), "phone-1");
            assertThat(hello.cmd()).as("%s", hello).isEqualTo(RawTcpDevice.HELLO);
            phone.autoAck();
            try (WsDevice smartphone = WsDevice.to(wssPort).tls(caPem).token(gateway.token("tls-alice", "ws-1"))
                    .deviceId("ws-1").autoAck().start()) {
                smartphone.awaitHello();

                Ctl.Result push = gateway.ctl("push", "--target", gateway.grpcTarget(), "--user", "tls-alice",
                        "--text", "over TLS", "--wait-ack");
                assertThat(push.exit()).as("%s", push).isZero();
                assertThat(push.out()).contains("phone-1", "ws-1");
                assertThat(phone.pushes()).contains("over TLS");
                assertThat(smartphone.await("push").get("payload").getAsString()).isEqualTo("over TLS");
            }
        }
    }

    @Test
    void aCertificateRenewedOnDisk_isWhatNewConnectionsGet() throws IOException {
        try (RawTcpDevice before = RawTcpDevice.connectTls(tcpTlsPort, caPem)) {
            assertThat(before.serverCertificate().getSubjectX500Principal().getName()).isEqualTo("CN=gateway");
        }
        ThrowawayCa.Identity renewed = ca.issue("gateway-renewed", dir.resolve("renewed"));
        // Key first, then the certificate, as a renewal may write them; each a second newer than before.
        replace(renewed.key(), served.key(), 1);
        replace(renewed.cert(), served.cert(), 2);

        Awaitility.await("a new connection gets the renewed certificate").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    try (RawTcpDevice after = RawTcpDevice.connectTls(tcpTlsPort, caPem)) {
                        return after.serverCertificate().getSubjectX500Principal().getName().equals("CN=gateway-renewed");
                    }
                });
        assertThat(gateway.node().output()).contains("the devices' TLS files read again");
    }

    private static void replace(Path from, Path to, int secondsAhead) throws IOException {
        Path staged = to.resolveSibling(to.getFileName() + ".new");
        Files.copy(from, staged, StandardCopyOption.REPLACE_EXISTING);
        Files.setLastModifiedTime(staged, FileTime.from(Instant.now().plusSeconds(secondsAhead)));
        Files.move(staged, to, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
