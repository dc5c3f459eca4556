package io.frontier.launcher;

import io.frontier.launcher.health.NodeHealth;
import io.frontier.launcher.health.NodeMetrics;
import java.io.IOException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/** The HTTP port of a node's operational endpoints; its gRPC ports serve {@code grpc.health.v1} anyway. */
final class MetricsPortOptions {
    /** The default of {@code --metrics-port} on an edge of a cluster. */
    static final int EDGE_PORT = 9464;
    /** The default of {@code --metrics-port} on a control plane. */
    static final int CONTROL_PLANE_PORT = 9465;
    private static final int NODE_DEFAULT = -2;

    @Option(names = "--metrics-port", defaultValue = "" + NODE_DEFAULT, paramLabel = "PORT",
            description = "HTTP port of the node's operational endpoints: /metrics (Prometheus), /livez (the process"
                    + " answers) and /readyz (the node takes work; 503 with the reasons otherwise), for a scraper and"
                    + " a load balancer's or an orchestrator's probes; -1 for none, 0 for any free port."
                    + " Default: " + EDGE_PORT + " on an edge, " + CONTROL_PLANE_PORT + " on a control plane, none"
                    + " in standalone.")
    int port;

    @Option(names = "--metrics-host", defaultValue = "127.0.0.1",
            description = "Address of --metrics-port. Default: ${DEFAULT-VALUE}.")
    String host;

    /**
     * Returns the node's health and meters, serving HTTP when --metrics-port asks, or else on {@code nodeDefault}
     * (-1: not at all); null (after saying why) when it cannot. Meters are recorded only when served.
     */
    NodeHealth start(CommandSpec spec, int nodeDefault) {
        int port = this.port == NODE_DEFAULT ? nodeDefault : this.port;
        if (port < -1 || port > 65_535) {
            throw new ParameterException(spec.commandLine(), "invalid setting: --metrics-port " + port
                    + ": expected a port (0 for any free one), or -1 for none");
        }
        NodeHealth health = NodeHealth.start(port >= 0 ? NodeMetrics.prometheus() : NodeMetrics.none());
        if (port >= 0) {
            try {
                health.serve(host, port);
            } catch (IOException e) {
                health.close();
                spec.commandLine().getErr().println("frontier: cannot serve --metrics-port " + port + " on "
                        + host + ": " + e.getMessage());
                return null;
            }
        }
        return health;
    }
}
