package io.frontier.launcher;

import io.frontier.api.v1.EdgeRecord;
import io.frontier.edge.EdgeNode;

/** The record an edge gives of itself: in etcd in a cluster, in the Admin API's list of edges in standalone mode. */
public final class EdgeRecords {
    private EdgeRecords() {
    }

    /**
     * Returns the record of {@code edge}'s run {@code instance}, started now: its devices' listeners at
     * {@code tcpHost} and {@code wsHost} (an IPv6 address is put in brackets), the address its connection ids
     * carry, and {@code version}. The caller adds what only it has, such as a cluster edge's gRPC address.
     */
    public static EdgeRecord.Builder of(EdgeNode edge, String instance, String tcpHost, String wsHost, String version) {
        return EdgeRecord.newBuilder()
                .setEdgeId(edge.edgeId())
                .setInstanceId(instance)
                .setTcpAddress(hostPort(tcpHost, edge.tcpAddress().getPort()))
                .setWsAddress(hostPort(wsHost, edge.wsAddress().getPort()))
                .setConnIdAddress(edge.advertisedAddress().getAddress().getHostAddress() + ":"
                        + edge.advertisedAddress().getPort())
                .setVersion(version)
                .setStartedAtMs(System.currentTimeMillis());
    }

    private static String hostPort(String host, int port) {
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + port;
    }
}
