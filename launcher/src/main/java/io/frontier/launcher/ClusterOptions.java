package io.frontier.launcher;

import io.frontier.cli.Durations;
import io.frontier.discovery.DiscoveryConfig;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The options every cluster node shares: etcd, its namespace and lease, how others reach the node. */
final class ClusterOptions {
    @Mixin
    ConfigFileOption config;

    @Option(names = "--etcd", paramLabel = "URL", split = ",", defaultValue = "http://127.0.0.1:2379",
            description = "etcd endpoints, comma-separated. Default: ${DEFAULT-VALUE}.")
    List<String> etcd;

    @Option(names = "--etcd-namespace", defaultValue = "/frontier",
            description = "Prefix of every key in etcd; clusters sharing an etcd use different ones. Default: ${DEFAULT-VALUE}.")
    String namespace;

    @Option(names = "--lease-ttl", defaultValue = "10s", converter = Durations.Positive.class,
            description = "A node that stops is forgotten within this long (whole seconds, at least 2s). Default: ${DEFAULT-VALUE}.")
    Duration leaseTtl;

    @Option(names = "--advertise-host", defaultValue = "127.0.0.1",
            description = "The host other nodes reach this one by; connection ids of an edge carry it. Default: ${DEFAULT-VALUE}.")
    String advertiseHost;

    DiscoveryConfig discovery() {
        return DiscoveryConfig.builder(etcd).namespace(namespace).leaseTtl(leaseTtl).build();
    }
}
