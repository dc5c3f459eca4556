package io.frontier.launcher;

import picocli.CommandLine.Option;

/**
 * {@code --config FILE} of every node. {@link Settings} reads the file before picocli parses
 * the command line; the option is declared here so that help shows it and parsing accepts it.
 */
final class ConfigFileOption {
    @Option(names = "--config", paramLabel = "FILE",
            description = "Reads settings from a properties file (name = value, names as the long options without --). "
                    + "Flags win over environment variables (FRONTIER_<NAME>), which win over the file.")
    String path;
}
