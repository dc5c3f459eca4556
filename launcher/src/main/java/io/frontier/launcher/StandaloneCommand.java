package io.frontier.launcher;

import io.frontier.cli.Durations;
import io.frontier.control.events.EventNotifierConfig;
import io.frontier.control.push.PushLimits;
import io.frontier.edge.EdgeConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;

/** {@code frontier standalone}: the whole gateway in one process, with no Redis or etcd. */
@Command(name = "standalone", mixinStandardHelpOptions = true,
        description = {
            "Runs a control plane and an edge in one process with the in-memory status store.",
            "Devices connect over TCP; backends push through the Push API (gRPC).",
            "The token secret comes from FRONTIER_JWT_SECRET, or --jwt-secret-file; without either,",
            "a random secret is made for this run and printed."})
final class StandaloneCommand implements Callable<Integer> {
    static final String SECRET_ENV = "FRONTIER_JWT_SECRET";

    @Spec
    CommandSpec spec;

    @Option(names = "--tcp-port", defaultValue = "9000", description = "Port of feature phones (TCP). Default: ${DEFAULT-VALUE}.")
    int tcpPort;

    @Option(names = "--tcp-host", defaultValue = "0.0.0.0", description = "Address of the TCP listener. Default: ${DEFAULT-VALUE}.")
    String tcpHost;

    @Option(names = "--grpc-port", defaultValue = "7000", description = "Port of the Push API (gRPC). Default: ${DEFAULT-VALUE}.")
    int grpcPort;

    @Option(names = "--grpc-host", defaultValue = "127.0.0.1",
            description = "Address of the Push API. It has no access control yet, so it stays on loopback unless told. "
                    + "Default: ${DEFAULT-VALUE}.")
    String grpcHost;

    @Option(names = "--ws-port", defaultValue = "8080",
            description = "Port of smartphones and browsers (WebSocket at /ws, the browser page at /). Default: ${DEFAULT-VALUE}.")
    int wsPort;

    @Option(names = "--ws-host", defaultValue = "0.0.0.0", description = "Address of the WebSocket listener. Default: ${DEFAULT-VALUE}.")
    String wsHost;

    @Option(names = "--ws-ping-interval", defaultValue = "30s", converter = Durations.Positive.class,
            description = "A WebSocket device silent this long is pinged; twice this long, closed (BYE 408). "
                    + "Default: ${DEFAULT-VALUE}.")
    Duration wsPingInterval;

    @Option(names = "--max-ws-message", defaultValue = "65536",
            description = "Largest WebSocket message accepted, in bytes (close 1009 above). Default: ${DEFAULT-VALUE}.")
    int maxWsMessage;

    @Option(names = "--allowed-origin", paramLabel = "ORIGIN",
            description = "Lets browsers of this origin (scheme://host[:port]) connect; repeatable. "
                    + "Without any, every origin may; with some, others get HTTP 403.")
    List<String> allowedOrigins = new ArrayList<>();

    @Option(names = "--ws-compression", description = "Accepts permessage-deflate; inflating stays bounded by --max-ws-message.")
    boolean wsCompression;

    @Option(names = "--edge-id", defaultValue = "edge-1", description = "This edge's id. Default: ${DEFAULT-VALUE}.")
    String edgeId;

    @Option(names = "--hello-timeout", defaultValue = "10s", converter = Durations.Positive.class,
            description = "Time a device has to send Hello. Default: ${DEFAULT-VALUE}.")
    Duration helloTimeout;

    @Option(names = "--idle-timeout", defaultValue = "20m", converter = Durations.Positive.class,
            description = "A device that sends nothing for this long is closed with Bye 408. Default: ${DEFAULT-VALUE}.")
    Duration idleTimeout;

    @Option(names = "--heartbeat", defaultValue = "5m", converter = Durations.Positive.class,
            description = "Ping interval announced to devices; at most half the idle timeout. Default: ${DEFAULT-VALUE}.")
    Duration heartbeat;

    @Option(names = "--max-tcp-payload", defaultValue = "16384",
            description = "Largest TCP frame payload accepted from a device (Bye 413 above). Default: ${DEFAULT-VALUE}.")
    int maxTcpPayload;

    @Option(names = "--max-connections", defaultValue = "1000000",
            description = "Connections the edge holds at most (Bye 429 above). Default: ${DEFAULT-VALUE}.")
    int maxConnections;

    @Option(names = "--upstream-timeout", defaultValue = "5s", converter = Durations.Positive.class,
            description = "Deadline of a backend's SendMessage (504 past it). Default: ${DEFAULT-VALUE}.")
    Duration upstreamTimeout;

    @Option(names = "--route", paramLabel = "SERVICE=HOST:PORT[,timeout=D]",
            description = "Routes upstream service id SERVICE to the BackService at HOST:PORT, with its own call "
                    + "deadline when timeout is given (e.g. 1001=localhost:7100,timeout=2s). Repeatable.")
    Map<Integer, String> routes = new LinkedHashMap<>();

    @Option(names = "--auth-backend", paramLabel = "HOST:PORT",
            description = "Delegates token checks to this BackService's Auth instead of the built-in JWTs.")
    String authBackend;

    @Option(names = "--event-backend", paramLabel = "HOST:PORT",
            description = "Sends each device's connect and disconnect to this BackService's SendEvent "
                    + "(in order, 3 tries). Repeatable.")
    List<String> eventBackends = new ArrayList<>();

    @Option(names = "--jwt-secret-file", paramLabel = "PATH",
            description = "Reads the HS256 token secret from PATH instead of " + SECRET_ENV + ".")
    Path jwtSecretFile;

    private final Map<String, String> env;
    private final PrintStream out;

    StandaloneCommand(Map<String, String> env, PrintStream out) {
        this.env = env;
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        Secret secret = secret();
        StandaloneConfig config;
        try {
            config = new StandaloneConfig(EdgeConfig.builder()
                    .edgeId(edgeId)
                    .tcpHost(tcpHost)
                    .tcpPort(tcpPort)
                    .wsHost(wsHost)
                    .wsPort(wsPort)
                    .wsPingInterval(wsPingInterval)
                    .maxWsMessage(maxWsMessage)
                    .allowedOrigins(allowedOrigins)
                    .wsCompression(wsCompression)
                    .helloTimeout(helloTimeout)
                    .idleTimeout(idleTimeout)
                    .heartbeatInterval(heartbeat)
                    .maxTcpPayload(maxTcpPayload)
                    .maxConnections(maxConnections)
                    .upstreamDeadline(upstreamTimeout)
                    .routes(routes)
                    .authBackend(authBackend)
                    .jwtSecret(authBackend == null ? secret.value : null)
                    .build(), grpcHost, grpcPort, PushLimits.DEFAULTS,
                    eventBackends.isEmpty() ? null : EventNotifierConfig.of(eventBackends));
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "invalid setting: " + e.getMessage());
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Standalone gateway;
        try {
            gateway = Standalone.start(config);
        } catch (IOException e) {
            spec.commandLine().getErr().println("frontier: " + e.getMessage()
                    + " (is another gateway running? choose other ports with --tcp-port and --grpc-port)");
            return 1;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            gateway.close();
            stopped.countDown();
        }, "frontier-shutdown"));
        printBanner(gateway, secret);
        stopped.await();
        return 0;
    }

    private void printBanner(Standalone gateway, Secret secret) {
        out.println("Frontier standalone is running (Ctrl-C stops it)");
        out.println("  feature phones (TCP)  " + tcpHost + ":" + gateway.edge().tcpAddress().getPort());
        out.println("  Push API (gRPC)       " + grpcHost + ":" + gateway.grpcAddress().getPort()
                + "   no access control yet: keep it on loopback");
        out.println("  smartphones (WS)      " + wsHost + ":" + gateway.edge().wsAddress().getPort()
                + "   ws://HOST:" + gateway.edge().wsAddress().getPort() + "/ws, browser page at http://localhost:"
                + gateway.edge().wsAddress().getPort() + "/");
        if (!eventBackends.isEmpty()) {
            out.println("Connection events go to " + String.join(", ", eventBackends));
        }
        if (authBackend != null) {
            out.println("Tokens are checked by the Auth of " + authBackend);
            return;
        }
        if (secret.generated) {
            out.println("No " + SECRET_ENV + " was set, so this run signs tokens with a random secret. In another shell:");
            out.println("  export " + SECRET_ENV + "=" + secret.value);
        }
        out.println("Get a device token:");
        out.println("  ./frontier ctl token --user alice --device phone-1");
    }

    private Secret secret() throws IOException {
        if (authBackend != null) {
            return new Secret(null, false);
        }
        if (jwtSecretFile != null) {
            return new Secret(Files.readString(jwtSecretFile, StandardCharsets.UTF_8).strip(), false);
        }
        String fromEnv = env.get(SECRET_ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            return new Secret(fromEnv, false);
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        return new Secret(Base64.getUrlEncoder().withoutPadding().encodeToString(random), true);
    }

    private record Secret(String value, boolean generated) {
    }
}
