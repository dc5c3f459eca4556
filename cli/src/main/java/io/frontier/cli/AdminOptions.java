package io.frontier.cli;

import picocli.CommandLine.Option;

/** The options every Admin API command, and broadcast, shares: where the gateway is, and how to print. */
final class AdminOptions {
    /** How a command prints its result. */
    enum Output {
        table, json
    }

    @Option(names = "--target", paramLabel = "HOST:PORT", defaultValue = "${env:FRONTIER_TARGET:-localhost:7000}",
            converter = HostPort.Converter.class,
            description = "The gateway's gRPC address: standalone, or any control plane (default: FRONTIER_TARGET when set, else localhost:7000).")
    HostPort target;

    @Option(names = {"-o", "--output"}, paramLabel = "table|json", defaultValue = "table",
            description = "table (default): aligned columns for people; json: the reply in the protobuf JSON mapping,"
                    + " for scripts.")
    Output output;

    boolean json() {
        return output == Output.json;
    }
}
