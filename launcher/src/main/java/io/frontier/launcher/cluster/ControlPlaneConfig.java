package io.frontier.launcher.cluster;

import io.frontier.control.access.ApiAccess;
import io.frontier.control.events.EventNotifierConfig;
import io.frontier.control.push.PushLimits;
import io.frontier.discovery.DiscoveryConfig;
import io.frontier.status.RedisStatusConfig;
import java.time.Duration;

/**
 * Settings of one control-plane replica.
 *
 * @param id              this replica's id
 * @param grpcHost        where the Push and Admin APIs listen
 * @param grpcPort        their port; 0 picks a free one
 * @param linkHost        where EdgeLink listens, behind the cluster's credentials
 * @param linkPort        its port; 0 picks a free one
 * @param advertiseHost   the host edges and callers reach this replica by
 * @param redis           UserStatus in Redis
 * @param discovery       etcd
 * @param pushLimits      the Push API's bounds
 * @param events          backends subscribed to connection events; null when none
 * @param offlineNotifier the gRPC target of the offline notifier; null when none
 * @param sweepInterval   how often entries of dead edges are looked for
 * @param rebuildTimeout  how long after Redis lost its data reads of devices wait at most for the edges' snapshots
 * @param maxSnapshot     the most connections one edge's snapshot may hold
 * @param version         reported in etcd
 * @param access          the tokens of the Admin and Push APIs
 * @param credentials     what EdgeLink asks of edges, and what this replica shows the edges' services
 */
public record ControlPlaneConfig(String id, String grpcHost, int grpcPort, String linkHost, int linkPort,
                                 String advertiseHost, RedisStatusConfig redis,
                                 DiscoveryConfig discovery, PushLimits pushLimits, EventNotifierConfig events,
                                 String offlineNotifier, Duration sweepInterval, Duration rebuildTimeout,
                                 int maxSnapshot, String version, ApiAccess access, ClusterCredentials credentials) {
    /** The default of {@code rebuildTimeout}: several of the edges' longest re-attach waits (5 s). */
    public static final Duration DEFAULT_REBUILD_TIMEOUT = Duration.ofSeconds(30);

    /** Settings with both APIs open on free ports of {@code host}, as tests on loopback use them. */
    public ControlPlaneConfig(String id, String host, RedisStatusConfig redis,
                              DiscoveryConfig discovery, PushLimits pushLimits, EventNotifierConfig events,
                              String offlineNotifier, Duration sweepInterval, int maxSnapshot, String version,
                              ClusterCredentials credentials) {
        this(id, host, 0, host, 0, host, redis, discovery, pushLimits, events, offlineNotifier, sweepInterval,
                DEFAULT_REBUILD_TIMEOUT, maxSnapshot, version, ApiAccess.OPEN, credentials);
    }

    public ControlPlaneConfig {
        check(access != null, "access", null, "the APIs' tokens, or ApiAccess.OPEN");
        check(credentials != null, "credentials", null, "the cluster's credentials, or ClusterCredentials.NONE");
        check(id != null && !id.isBlank() && id.length() <= 64, "id", id, "1 to 64 characters");
        check(grpcHost != null && !grpcHost.isBlank(), "grpcHost", grpcHost, "a host name or address");
        check(grpcPort >= 0 && grpcPort <= 65535, "grpcPort", grpcPort, "0..65535");
        check(linkHost != null && !linkHost.isBlank(), "linkHost", linkHost, "a host name or address");
        check(linkPort >= 0 && linkPort <= 65535, "linkPort", linkPort, "0..65535");
        check(advertiseHost != null && !advertiseHost.isBlank(), "advertiseHost", advertiseHost, "a host other nodes reach");
        check(redis != null, "redis", null, "Redis settings");
        check(discovery != null, "discovery", null, "etcd settings");
        check(sweepInterval != null && !sweepInterval.isNegative() && !sweepInterval.isZero(), "sweepInterval",
                sweepInterval, "> 0");
        check(rebuildTimeout != null && !rebuildTimeout.isNegative() && !rebuildTimeout.isZero(), "rebuildTimeout",
                rebuildTimeout, "> 0");
        check(maxSnapshot > 0, "maxSnapshot", maxSnapshot, "> 0");
    }

    static void check(boolean ok, String name, Object value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: " + expected + ")");
        }
    }
}
