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
    void checkoutsFrontier_runsTheSameJarsAsTheTarball() {
        String name = Distribution.home().getFileName().toString();
        Path unpacked = Distribution.checkout().resolve("launcher/target").resolve(name).resolve(name);
        assertThat(unpacked.resolve("lib").toFile().list()).as("lib/ of %s, which ./frontier runs", unpacked)
                .containsExactlyInAnyOrder(Distribution.home().resolve("lib").toFile().list());
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
    void systemdUnit_startsTheGatewayAsItsExecStartSays(@TempDir Path etc) throws IOException {
        String unit = Files.readString(Distribution.home().resolve("deploy/systemd/frontier-standalone.service"));
        java.util.regex.Matcher exec = java.util.regex.Pattern.compile("(?m)^ExecStart=(.+)$").matcher(unit);
        assertThat(exec.find()).as("ExecStart in the unit").isTrue();
        Path secret = Files.writeString(etc.resolve("jwt-secret"), StandaloneGateway.SECRET);
        // The unit's paths, moved to where this test unpacked the distribution; its ports, to free ones.
        String[] command = exec.group(1).replace("/opt/frontier", Distribution.home().toString())
                .replace("/etc/frontier/jwt-secret", secret.toString()).split(" ");
        assertThat(command[0]).isEqualTo(Distribution.frontier().toString());
        int tcp = Ports.free();
        try (OsProcess gateway = new OsProcess("systemd-exec-start", List.of(command), Map.of(
                "FRONTIER_TCP_HOST", "127.0.0.1", "FRONTIER_TCP_PORT", "" + tcp, "FRONTIER_WS_HOST", "127.0.0.1",
                "FRONTIER_WS_PORT", "" + Ports.free(), "FRONTIER_GRPC_PORT", "" + Ports.free()),
                Distribution.home()).start()) {
            gateway.awaitOutput("is running", FrontierNode.START);
            try (RawTcpDevice device = RawTcpDevice.online(tcp, Jwt.mint(StandaloneGateway.SECRET, "unit", "d"), "d")) {
                device.send(RawTcpDevice.PING, 3, new byte[0]);
                assertThat(device.next().seq()).isEqualTo(3);
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
