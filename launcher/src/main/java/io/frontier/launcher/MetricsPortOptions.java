package io.frontier.launcher;

import io.frontier.launcher.health.NodeHealth;
import java.io.IOException;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/** The HTTP port of a node's operational endpoints; its gRPC ports serve {@code grpc.health.v1} anyway. */
final class MetricsPortOptions {
    @Option(names = "--metrics-port", defaultValue = "-1",
            description = "HTTP port of the node's operational endpoints: /livez (the process answers) and /readyz"
                    + " (the node takes work; 503 with the reasons otherwise), for a load balancer's or an"
                    + " orchestrator's probes. Default: none.")
    int port;

    @Option(names = "--metrics-host", defaultValue = "127.0.0.1",
            description = "Address of --metrics-port. Default: ${DEFAULT-VALUE}.")
    String host;

    /** Returns the node's health, serving HTTP when --metrics-port asks; null (after saying why) when it cannot. */
    NodeHealth start(CommandSpec spec) {
        NodeHealth health = NodeHealth.start();
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
