package io.frontier.launcher;

import io.frontier.control.access.ApiAccess;
import io.frontier.control.events.EventNotifierConfig;
import io.frontier.edge.EdgeNode;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import io.frontier.launcher.health.NodeHealth;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code frontier standalone}: the whole gateway in one process, with no Redis or etcd. */
@Command(name = "standalone", mixinStandardHelpOptions = true,
        description = {
            "Runs a control plane and an edge in one process; online status is read from the edge's sessions.",
            "Devices connect over TCP and WebSocket; backends push through the Push API and administrators",
            "use the Admin API (gRPC, one port). Each API needs its token when one is set (--admin-token,",
            "--push-token); without tokens they are open, which is allowed on a loopback --grpc-host only.",
            "The token secret comes from FRONTIER_JWT_SECRET, or --jwt-secret-file; without either,",
            "a random secret is made for this run and printed."})
final class StandaloneCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ConfigFileOption config;

    @Mixin
    EdgeOptions edge;

    @Mixin
    LogFormatOption logs;

    @Mixin
    MetricsPortOptions metrics;

    @Option(names = "--grpc-port", defaultValue = "7000", description = "Port of the Push and Admin APIs (gRPC). Default: ${DEFAULT-VALUE}.")
    int grpcPort;

    @Option(names = "--grpc-host", defaultValue = "127.0.0.1",
            description = "Address of the Push and Admin APIs. Another than loopback needs both tokens, or"
                    + " --insecure-open. Default: ${DEFAULT-VALUE}.")
    String grpcHost;

    @Mixin
    AccessOptions tokens;

    @Mixin
    PushOptions push;

    @Option(names = "--event-backend", paramLabel = "HOST:PORT",
            description = "Sends each device's connect and disconnect to this BackService's SendEvent "
                    + "(in order, 3 tries). Repeatable.")
    List<String> eventBackends = new ArrayList<>();

    @Option(names = "--offline-notifier", paramLabel = "HOST:PORT",
            description = "The OfflineNotifier that takes pushes for offline smartphones.")
    String offlineNotifier;

    private final Map<String, String> env;
    private final PrintStream out;

    StandaloneCommand(Map<String, String> env, PrintStream out) {
        this.env = env;
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        logs.apply(edge.edgeId);
        EdgeOptions.Secret secret = edge.secret(env, true);
        StandaloneConfig config;
        try {
            ApiAccess access = tokens.access(grpcHost);
            config = new StandaloneConfig(edge.builder(secret).build(), grpcHost, grpcPort, push.limits(),
                    eventBackends.isEmpty() ? null : EventNotifierConfig.of(eventBackends), offlineNotifier, access);
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "invalid setting: " + e.getMessage());
        }
        NodeHealth health = metrics.start(spec, -1);
        if (health == null) {
            return 1;
        }
        Standalone gateway;
        try {
            gateway = Standalone.start(config, health);
        } catch (IllegalArgumentException e) {
            // A file named by a setting (keys, certificates) that cannot be used is read at start.
            throw new ParameterException(spec.commandLine(), "invalid setting: " + e.getMessage());
        } catch (IOException e) {
            spec.commandLine().getErr().println("frontier: " + e.getMessage()
                    + " (is another gateway running? choose other ports with --tcp-port and --grpc-port)");
            return 1;
        }
        return Foreground.hold(gateway, () -> {
            printBanner(gateway, secret, config.access());
            if (health.httpPort() >= 0) {
                out.println("  health (HTTP)         " + metrics.host + ":" + health.httpPort() + "   /metrics, /livez, /readyz");
            }
        });
    }

    private void printBanner(Standalone gateway, EdgeOptions.Secret secret, ApiAccess access) {
        out.println("Frontier standalone is running (Ctrl-C stops it)");
        out.println("  feature phones (TCP)  " + edge.tcpHost + ":" + gateway.edge().tcpAddress().getPort());
        out.println("  Push, Admin (gRPC)    " + grpcHost + ":" + gateway.grpcAddress().getPort() + "   "
                + access.describe() + (access.anyOpen() && !tokens.insecureOpen ? ", loopback only" : ""));
        out.println("  smartphones (WS)      " + edge.wsHost + ":" + gateway.edge().wsAddress().getPort()
                + "   ws://HOST:" + gateway.edge().wsAddress().getPort() + "/ws, browser page at http://localhost:"
                + gateway.edge().wsAddress().getPort() + "/");
        EdgeNode node = gateway.edge();
        if (node.tcpTlsAddress() != null) {
            out.println("  feature phones (TLS)  " + edge.tcpHost + ":" + node.tcpTlsAddress().getPort() + "   "
                    + node.tlsProvider());
        }
        if (node.wssAddress() != null) {
            out.println("  smartphones (WSS)     " + edge.wsHost + ":" + node.wssAddress().getPort() + "   wss://HOST:"
                    + node.wssAddress().getPort() + "/ws, " + node.tlsProvider());
        }
        for (String key : node.helloXKeys()) {
            out.println("  HelloX (TCP, sealed)  " + key);
        }
        if (!eventBackends.isEmpty()) {
            out.println("Connection events go to " + String.join(", ", eventBackends));
        }
        if (offlineNotifier != null) {
            out.println("Pushes for offline smartphones go to the offline notifier at " + offlineNotifier);
        }
        if (edge.authBackend != null) {
            out.println("Tokens are checked by the Auth of " + edge.authBackend);
            return;
        }
        if (secret.generated()) {
            out.println("No " + EdgeOptions.SECRET_ENV + " was set, so this run signs tokens with a random secret. In another shell:");
            out.println("  export " + EdgeOptions.SECRET_ENV + "=" + secret.value());
        }
        out.println("Get a device token:");
        out.println("  ./frontier ctl token --user alice --device phone-1");
    }
}
