package io.frontier.acceptance;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The tarball as a user gets it: its layout, and that it runs with nothing but a Java runtime. */
class DistributionIT {
    @Test
    void layout_hasTheLauncherLibrariesConfigsDocsAndContracts() {
        Path home = Distribution.home();
        assertThat(home.getFileName().toString()).matches("frontier-\\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
        assertThat(home.resolve("bin/frontier")).isExecutable();
        assertThat(home.resolve("frontier")).isExecutable();
        for (String conf : List.of("standalone.properties", "control-plane.properties", "edge.properties", "logback.xml")) {
            assertThat(home.resolve("conf").resolve(conf)).isRegularFile();
        }
        assertThat(home.resolve("docs/README.md")).isRegularFile();
        assertThat(home.resolve("docs/PROTOCOL.md")).isRegularFile();
        assertThat(home.resolve("proto/frontier/v1/push.proto")).isRegularFile();
        assertThat(home.resolve("deploy/systemd/frontier-standalone.service")).isRegularFile();
        // protobuf-java-util's JsonFormat (frontier.json, ctl -o json) loads gson at run time
        assertThat(home.resolve("lib").toFile().list()).anyMatch(jar -> jar.startsWith("gson-"));
    }

    @Test
    void runsWithOnlyAJavaRuntime_noMavenNoSourceTree(@TempDir Path bin) throws IOException {
        // A PATH of the few tools the script needs, so that neither Maven nor anything else of this
        // machine is found; the unpacked distribution lives far from the checkout.
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Files.createSymbolicLink(bin.resolve("java"), java);
        for (String tool : List.of("bash", "dirname", "readlink", "sed")) {
            Files.createSymbolicLink(bin.resolve(tool), Path.of("/usr/bin").resolve(tool).toRealPath());
        }
        Map<String, String> onlyJava = Map.of("PATH", bin.toString());
        Ctl.Result version = Ctl.exec(List.of(Distribution.frontier().toString(), "--version"), clean(onlyJava));
        assertThat(version.exit()).as("%s", version).isZero();
        assertThat(version.out()).matches("frontier \\S+ \\(commit [0-9a-f]{12}(-dirty)?\\)\\R");

        int tcp = Ports.free();
        int grpc = Ports.free();
        try (FrontierNode gateway = FrontierNode.of("standalone-jre-only", clean(onlyJava), "standalone",
                "--tcp-host", "127.0.0.1", "--tcp-port", "" + tcp, "--ws-host", "127.0.0.1",
                "--ws-port", "" + Ports.free(), "--grpc-port", "" + grpc).startRunning()) {
            String secret = gateway.awaitOutput("export FRONTIER_JWT_SECRET=(\\S+)", FrontierNode.START).group(1);
            try (RawTcpDevice device = RawTcpDevice.online(tcp, Jwt.mint(secret, "jre-alice", "phone-1"), "phone-1")
                    .autoAck()) {
                Ctl.Result push = Ctl.exec(List.of(Distribution.frontier().toString(), "ctl", "push",
                        "--target", "127.0.0.1:" + grpc, "--user", "jre-alice", "--text", "only java", "--wait-ack"),
                        clean(onlyJava));
                assertThat(push.out()).as("%s", push).contains("acknowledged");
                assertThat(device.pushes()).containsExactly("only java");
            }
        }
    }

    @Test
    void badSetting_printsTheErrorAndOneLineOfUsage() {
        Ctl.Result bad = Ctl.exec(List.of(Distribution.frontier().toString(), "standalone", "--idle-timeout", "soon"),
                Map.of());
        assertThat(bad.exit()).isEqualTo(2);
        assertThat(bad.err().lines()).hasSize(2);
        assertThat(bad.err()).contains("--idle-timeout", "soon").contains("Run 'frontier standalone --help' for usage.");
        assertThat(bad.out()).isEmpty();
    }

    @Test
    void stoppedGateway_saysBye503ToItsDevices() {
        int tcp = Ports.free();
        FrontierNode gateway = FrontierNode.of("standalone-stopped", Map.of("FRONTIER_JWT_SECRET", StandaloneGateway.SECRET),
                "standalone", "--tcp-host", "127.0.0.1", "--tcp-port", "" + tcp, "--ws-host", "127.0.0.1",
                "--ws-port", "" + Ports.free(), "--grpc-port", "" + Ports.free()).startRunning();
        try (RawTcpDevice device = RawTcpDevice.online(tcp, Jwt.mint(StandaloneGateway.SECRET, "u", "d"), "d")) {
            CompletableFuture.runAsync(gateway::stop);
            device.expectByeAndClose(503);
        } finally {
            gateway.close();
        }
    }

    /** {@code env} for a process that must not see this JVM's FRONTIER_ settings or JAVA_HOME. */
    private static Map<String, String> clean(Map<String, String> env) {
        java.util.HashMap<String, String> clean = new java.util.HashMap<>(env);
        clean.put("JAVA_HOME", "");
        return clean;
    }
}
