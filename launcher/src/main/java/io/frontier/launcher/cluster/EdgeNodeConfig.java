package io.frontier.launcher.cluster;

import io.frontier.discovery.DiscoveryConfig;
import io.frontier.edge.EdgeConfig;

/**
 * Settings of one edge of a cluster.
 *
 * @param edge          the edge's own settings (listeners, timeouts, limits, authentication)
 * @param grpcHost      where the edge's gRPC service (Deliver, Kick) listens
 * @param grpcPort      its port; 0 picks a free one
 * @param advertiseHost the host control planes reach this edge by; connection ids carry it
 * @param discovery     etcd
 * @param version       reported in etcd
 * @param credentials   what the edge's service asks of control planes, and what the edge shows on EdgeLink
 */
public record EdgeNodeConfig(EdgeConfig edge, String grpcHost, int grpcPort, String advertiseHost,
                             DiscoveryConfig discovery, String version, ClusterCredentials credentials) {
    public EdgeNodeConfig {
        ControlPlaneConfig.check(edge != null, "edge", null, "the edge's settings");
        ControlPlaneConfig.check(grpcHost != null && !grpcHost.isBlank(), "grpcHost", grpcHost, "a host name or address");
        ControlPlaneConfig.check(grpcPort >= 0 && grpcPort <= 65535, "grpcPort", grpcPort, "0..65535");
        ControlPlaneConfig.check(advertiseHost != null && !advertiseHost.isBlank(), "advertiseHost", advertiseHost,
                "a host other nodes reach");
        ControlPlaneConfig.check(discovery != null, "discovery", null, "etcd settings");
        ControlPlaneConfig.check(credentials != null, "credentials", null,
                "the cluster's credentials, or ClusterCredentials.NONE");
    }
}
