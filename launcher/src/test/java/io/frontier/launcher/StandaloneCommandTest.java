package io.frontier.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Settings that cannot work are refused before anything starts, with what was expected. */
class StandaloneCommandTest {
    private static final Map<String, String> ENV = Map.of("FRONTIER_JWT_SECRET", "a-secret-of-at-least-32-bytes-long!!");

    private static String refused(String... args) {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8), ENV);
        assertThat(code).isEqualTo(2);
        return err.toString(StandardCharsets.UTF_8);
    }

    @Test
    void idleTimeoutShorterThanTwoHeartbeats_isRefused() {
        assertThat(refused("standalone", "--idle-timeout", "1m", "--heartbeat", "1m"))
                .contains("idleTimeout: PT1M (expected: at least twice heartbeatInterval PT1M");
    }

    @Test
    void badSetting_printsTheErrorAndOneLineOfUsage() {
        assertThat(refused("standalone", "--tcp-port", "x").lines())
                .containsExactly("error: Invalid value for option '--tcp-port': 'x' is not an int",
                        "Run 'frontier standalone --help' for usage.");
    }

    @Test
    void version_namesTheBuildAndItsCommit() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(Main.run(new String[] {"--version"}, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream()), ENV)).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).matches("frontier \\S+ \\(commit \\S+\\)\\R");
    }

    @Test
    void durationWithoutUnit_isRefused() {
        assertThat(refused("standalone", "--hello-timeout", "10"))
                .contains("10 (expected: a whole number above 0 and a unit ms, s, m, h or d");
    }

    @Test
    void shortSecret_isRefused() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(new String[] {"standalone", "--tcp-port", "0", "--grpc-port", "0", "--ws-port", "0"},
                new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8),
                Map.of("FRONTIER_JWT_SECRET", "short"));
        assertThat(code).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("jwtSecret: <5 characters> (expected: at least 32 bytes");
    }

    @Test
    void unknownIoTransport_isRefused() {
        assertThat(refused("standalone", "--io-transport", "kqueue"))
                .contains("io transport: kqueue (expected: auto, epoll or nio)");
    }

    @Test
    void noConnectionsPerIp_isRefused() {
        assertThat(refused("standalone", "--max-connections-per-ip", "0"))
                .contains("maxConnectionsPerIp: 0 (expected: > 0)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"standalone", "edge"})
    void perSourceLimitsOutOfRange_areRefused_sayingWhatIsExpected(String command) {
        assertThat(refused(command, "--connect-rate-per-ip", "0"))
                .contains("connectRatePerIp: 0 (expected: 1..1000000 connects per second)");
        assertThat(refused(command, "--connect-burst-per-ip", "0"))
                .contains("connectBurstPerIp: 0 (expected: 1..1000000 connects)");
        assertThat(refused(command, "--max-connections-per-user", "0"))
                .contains("maxConnectionsPerUser: 0 (expected: > 0)");
        assertThat(refused(command, "--auth-failures-per-ip", "65536"))
                .contains("authFailuresPerIp: 65536 (expected: 1..65535)");
        assertThat(refused(command, "--auth-ban", "0s")).contains("0s (expected: a whole number above 0");
        assertThat(refused(command, "--auth-failure-window", "1")).contains("1 (expected: a whole number above 0");
    }

    @ParameterizedTest
    @ValueSource(strings = {"control-plane", "edge"})
    void clusterNodeWithoutCredentials_isRefused_sayingWhatToSet(String command) {
        assertThat(refused(command, "--grpc-host", "127.0.0.1"))
                .contains("cluster links: no credential (expected: --cluster-token or FRONTIER_CLUSTER_TOKEN,"
                        + " --tls-cert with --tls-key and --tls-ca, or --insecure-cluster");
    }

    @ParameterizedTest
    @ValueSource(strings = {"control-plane", "edge"})
    void clusterNodeWithPartOfItsTlsFiles_isRefused(String command) {
        assertThat(refused(command, "--grpc-host", "127.0.0.1", "--tls-cert", "node.pem", "--cluster-token", "t"))
                .contains("tls: null (expected: --tls-cert, --tls-key and --tls-ca together)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"control-plane", "edge"})
    void clusterNodeWithTlsFilesItCannotRead_isRefused(String command) {
        assertThat(refused(command, "--grpc-host", "127.0.0.1", "--tls-cert", "missing.pem", "--tls-key", "missing.key",
                "--tls-ca", "ca.pem"))
                .contains("tls: cannot use", "missing.pem");
    }

    @Test
    void aTlsListenerWithoutACertificate_orACertificateWithoutAListener_isRefused() {
        assertThat(refused("standalone", "--wss-port", "0")).contains("deviceTls: no certificate and key (expected: a"
                + " certificate and its key (--device-tls-cert, --device-tls-key) for the TLS listeners)");
        assertThat(refused("standalone", "--device-tls-cert", "c.pem", "--device-tls-key", "k.pem"))
                .contains("deviceTls: a certificate and key (expected: a TLS listener to use them (--tcp-tls-port or"
                        + " --wss-port))");
    }

    @Test
    void tlsFilesThatCannotBeRead_areRefused() {
        assertThat(refused("standalone", "--wss-port", "0", "--tcp-port", "0", "--ws-port", "0", "--grpc-port", "0",
                "--device-tls-cert", "missing.pem", "--device-tls-key", "missing.key"))
                .contains("deviceTls: cannot use missing.pem and missing.key");
    }

    @Test
    void portOutOfRange_isRefused() {
        assertThat(refused("standalone", "--tcp-port", "70000")).contains("tcpPort: 70000 (expected: 0..65535)");
    }

    @Test
    void portInUse_saysWhichAndExits1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            ByteArrayOutputStream err = new ByteArrayOutputStream();
            int code = Main.run(new String[] {"standalone", "--tcp-host", "127.0.0.1",
                                "--tcp-port", String.valueOf(taken.getLocalPort()), "--grpc-port", "0", "--ws-port", "0"},
                    new PrintStream(new ByteArrayOutputStream()), new PrintStream(err, true, StandardCharsets.UTF_8), ENV);
            assertThat(code).isEqualTo(1);
            assertThat(err.toString(StandardCharsets.UTF_8))
                    .startsWith("frontier: cannot listen on 127.0.0.1:" + taken.getLocalPort() + " for feature phones");
        }
    }

    @Test
    void blankEventBackend_isRefused() {
        assertThat(refused("standalone", "--event-backend", " "))
                .contains("invalid setting: backends[0]:   (expected: a gRPC target such as host:port)");
    }

    @Test
    void standaloneHelp_documentsEventBackend() {
        assertThat(help("standalone", "--help")).contains("--event-backend=HOST:PORT", "SendEvent");
    }

    @Test
    void standaloneHelp_documentsTheOfflineNotifier_asTheControlPlaneDoes() {
        assertThat(help("standalone", "--help")).contains("--offline-notifier=HOST:PORT", "The OfflineNotifier that takes pushes");
        assertThat(help("control-plane", "--help")).contains("--offline-notifier=HOST:PORT", "The OfflineNotifier that takes pushes");
    }

    @Test
    void blankOfflineNotifier_isRefused() {
        assertThat(refused("standalone", "--offline-notifier", " "))
                .contains("invalid setting: offlineNotifier:   (expected: HOST:PORT, or none)");
    }

    @Test
    void help_listsTheCommands() {
        assertThat(help("--help")).contains("standalone", "frontier ctl --help");
    }

    private static String help(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(new ByteArrayOutputStream()), ENV)).isZero();
        return out.toString(StandardCharsets.UTF_8);
    }
}
