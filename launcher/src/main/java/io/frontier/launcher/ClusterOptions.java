package io.frontier.launcher;

import io.frontier.cli.Durations;
import io.frontier.discovery.DiscoveryConfig;
import io.frontier.launcher.cluster.ClusterCredentials;
import io.frontier.launcher.cluster.ClusterLinks;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * The options every cluster node shares: etcd, its namespace and lease, how others reach the node, and what
 * the nodes prove to each other.
 */
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

    @Option(names = "--cluster-token", paramLabel = "TOKEN",
            description = "The secret every node of the cluster shares, sent on EdgeLink and on the control planes' calls"
                    + " to edges; better given as FRONTIER_CLUSTER_TOKEN. Readable on the network without TLS.")
    String clusterToken;

    @Option(names = "--tls-cert", paramLabel = "PEM",
            description = "This node's certificate chain for mutual TLS on the internal links; an edge's names its"
                    + " edge id (common name or DNS name). Read again when it changes.")
    Path tlsCert;

    @Option(names = "--tls-key", paramLabel = "PEM", description = "The private key of --tls-cert (PKCS#8).")
    Path tlsKey;

    @Option(names = "--tls-ca", paramLabel = "PEM", description = "The CA certificates that vouch for the other nodes.")
    Path tlsCa;

    @Option(names = "--insecure-cluster",
            description = "Serves the internal links with no credential (no cluster token, no TLS); refused at start otherwise.")
    boolean insecureCluster;

    /**
     * Returns what the internal links ask and show.
     *
     * @throws IllegalArgumentException when there is none and --insecure-cluster was not given, or the TLS files
     *                                  are not all three or cannot be used
     */
    ClusterCredentials credentials() {
        boolean anyTls = tlsCert != null || tlsKey != null || tlsCa != null;
        ClusterCredentials credentials = new ClusterCredentials(clusterToken,
                anyTls ? new ClusterCredentials.TlsFiles(tlsCert, tlsKey, tlsCa) : null);
        if (credentials.none() && !insecureCluster) {
            throw new IllegalArgumentException("cluster links: no credential (expected: --cluster-token or"
                    + " FRONTIER_CLUSTER_TOKEN, --tls-cert with --tls-key and --tls-ca, or --insecure-cluster to leave"
                    + " EdgeLink and the edges' gRPC service open on purpose)");
        }
        if (credentials.tls() != null) {
            // Read once now, so that a file that cannot be used is a setting refused at start.
            ClusterLinks.start(credentials).close();
        }
        return credentials;
    }

    DiscoveryConfig discovery() {
        return DiscoveryConfig.builder(etcd).namespace(namespace).leaseTtl(leaseTtl).build();
    }
}
