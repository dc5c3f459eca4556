package io.frontier.cli;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * The options every Admin API command, and broadcast, shares: where the gateway is, and how to print.
 * They are inherited: on a command with subcommands ({@code routes}) they may come before or after
 * the subcommand, and the subcommand reads them from its parent's mixin.
 */
final class AdminOptions {
    /** How a command prints its result. */
    enum Output {
        table, json
    }

    @Option(names = "--target", paramLabel = "HOST:PORT", defaultValue = "${env:FRONTIER_TARGET:-localhost:7000}",
            scope = ScopeType.INHERIT,
            converter = HostPort.Converter.class,
            description = "The gateway's gRPC address: standalone, or any control plane (default: FRONTIER_TARGET when set, else localhost:7000).")
    HostPort target;

    @Option(names = {"-o", "--output"}, paramLabel = "table|json", defaultValue = "table", scope = ScopeType.INHERIT,
            description = "table (default): aligned columns for people; json: the reply in the protobuf JSON mapping,"
                    + " for scripts.")
    Output output;

    boolean json() {
        return output == Output.json;
    }
}
