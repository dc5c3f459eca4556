package io.frontier.edge.link;

import java.time.Duration;

/**
 * Settings of an edge's EdgeLink stream, validated when built.
 *
 * @param edgeId         this edge's id
 * @param instanceId     this life of the edge
 * @param grpcAddress    the edge's own gRPC service, for the control plane to call back
 * @param version        the edge's version, for operators
 * @param queueCapacity  events waiting to be sent at most; past it the edge re-attaches with a snapshot
 * @param window         messages sent and not yet acknowledged at most
 * @param snapshotChunk  connections per snapshot message
 * @param heartbeat      interval of heartbeats on an idle stream
 * @param minBackoff     first wait before re-attaching after a failure
 * @param maxBackoff     longest wait before re-attaching
 * @param resync         interval of fresh snapshots on a healthy stream: they refresh the store's entries
 *                       (which expire when nothing refreshes them) and heal any drift
 */
public record EdgeLinkConfig(String edgeId, String instanceId, String grpcAddress, String version, int queueCapacity,
                             int window, int snapshotChunk, Duration heartbeat, Duration minBackoff, Duration maxBackoff,
                             Duration resync) {
    public EdgeLinkConfig {
        require(edgeId != null && !edgeId.isBlank(), "edgeId", edgeId, "not blank");
        require(instanceId != null && !instanceId.isBlank(), "instanceId", instanceId, "not blank");
        require(grpcAddress != null && !grpcAddress.isBlank(), "grpcAddress", grpcAddress, "host:port");
        require(queueCapacity >= 16, "queueCapacity", queueCapacity, ">= 16");
        require(window >= 1 && window <= 65536, "window", window, "1..65536");
        require(snapshotChunk >= 1 && snapshotChunk <= 10_000, "snapshotChunk", snapshotChunk, "1..10000");
        require(heartbeat != null && !heartbeat.isNegative() && !heartbeat.isZero(), "heartbeat", heartbeat, "> 0");
        require(minBackoff != null && !minBackoff.isNegative() && !minBackoff.isZero(), "minBackoff", minBackoff, "> 0");
        require(maxBackoff != null && maxBackoff.compareTo(minBackoff) >= 0, "maxBackoff", maxBackoff, ">= minBackoff");
        require(resync != null && resync.compareTo(heartbeat) >= 0, "resync", resync, ">= heartbeat");
    }

    /**
     * Returns the defaults: 100,000 queued events, 1,024 in flight, 1,000 per snapshot message,
     * 5 s heartbeats, a fresh snapshot every 10 minutes.
     */
    public static EdgeLinkConfig of(String edgeId, String instanceId, String grpcAddress, String version) {
        return new EdgeLinkConfig(edgeId, instanceId, grpcAddress, version, 100_000, 1024, 1000,
                Duration.ofSeconds(5), Duration.ofMillis(100), Duration.ofSeconds(5), Duration.ofMinutes(10));
    }

    private static void require(boolean ok, String name, Object value, String expected) {
        if (!ok) {
            throw new IllegalArgumentException(name + ": " + value + " (expected: " + expected + ")");
        }
    }
}
