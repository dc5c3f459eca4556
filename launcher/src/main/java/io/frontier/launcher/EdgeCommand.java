package io.frontier.launcher;

import io.frontier.cli.Durations;
import io.frontier.launcher.cluster.ClusterEdge;
import io.frontier.launcher.cluster.EdgeNodeConfig;
import io.frontier.launcher.health.NodeHealth;
import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** {@code frontier edge}: one edge of a cluster. */
@Command(name = "edge", mixinStandardHelpOptions = true,
        description = {
            "Runs one edge: devices over TCP and WebSocket, the edge's gRPC service for control planes,",
            "its registration in etcd, its EdgeLink stream to a control plane, and routes watched in etcd.",
            "The token secret comes from FRONTIER_JWT_SECRET or --jwt-secret-file (the same on every edge)."})
final class EdgeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Mixin
    ClusterOptions cluster;

    @Mixin
    EdgeOptions edge;

    @Mixin
    LogFormatOption logs;

    @Mixin
    MetricsPortOptions metrics;

    @Option(names = "--grpc-host", paramLabel = "HOST",
            description = "Address of the edge's gRPC service, which control planes call. Default: the --advertise-host.")
    String grpcHost;

    @Option(names = "--grpc-port", defaultValue = "7100", description = "Port of the edge's gRPC service. Default: ${DEFAULT-VALUE}.")
    int grpcPort;

    @Option(names = "--drain-window", defaultValue = "20s", paramLabel = "DURATION", converter = Durations.DrainWindow.class,
            description = "On SIGTERM the edge turns not ready, tells its devices Bye 503 (reconnect elsewhere) at"
                    + " random moments within this window, and stops once they have gone: 0s to 1h."
                    + " Default: ${DEFAULT-VALUE}.")
    Duration drainWindow;

    private final Map<String, String> env;
    private final PrintStream out;

    EdgeCommand(Map<String, String> env, PrintStream out) {
        this.env = env;
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        logs.apply(edge.edgeId);
        EdgeOptions.Secret secret = edge.secret(env, false);
        EdgeNodeConfig config;
        try {
            config = new EdgeNodeConfig(edge.builder(secret).build(), grpcHost != null ? grpcHost : cluster.advertiseHost,
                    grpcPort, cluster.advertiseHost, cluster.discovery(), Main.VERSION, cluster.credentials());
        } catch (IllegalArgumentException e) {
            throw new ParameterException(spec.commandLine(), "invalid setting: " + e.getMessage());
        }
        NodeHealth health = metrics.start(spec, MetricsPortOptions.EDGE_PORT);
        if (health == null) {
            return 1;
        }
        ClusterEdge node;
        try {
            node = ClusterEdge.start(config, health);
        } catch (IllegalArgumentException e) {
            // A file named by a setting (keys, certificates) that cannot be used is read at start.
            throw new ParameterException(spec.commandLine(), "invalid setting: " + e.getMessage());
        } catch (IOException e) {
            spec.commandLine().getErr().println("frontier: " + e.getMessage());
            return 1;
        }
        return Foreground.hold(() -> node.stop(drainWindow), () -> {
            out.println("Frontier edge " + config.edge().edgeId() + " is running: TCP " + node.edge().tcpAddress().getPort()
                    + ", WebSocket " + node.edge().wsAddress().getPort()
                    + (node.edge().tcpTlsAddress() == null ? "" : ", TCP over TLS " + node.edge().tcpTlsAddress().getPort())
                    + (node.edge().wssAddress() == null ? "" : ", WSS " + node.edge().wssAddress().getPort())
                    + ", gRPC " + node.grpcPort() + "; etcd " + cluster.etcd
                    + (health.httpPort() < 0 ? "" : "; health (HTTP) " + metrics.host + ":" + health.httpPort()));
            for (String key : node.edge().helloXKeys()) {
                out.println("  HelloX (TCP, sealed): " + key);
            }
        });
    }
}
