package io.frontier.control.testing;

import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.ConnectionInfo;
import io.frontier.protocol.ConnIds;
import io.frontier.status.DeviceEntry;
import java.net.InetSocketAddress;

/** Two edges with real connection ids, and entries and connection infos on them. */
public final class TestEdges {
    public static final String EDGE_A = "edge-a";
    public static final String EDGE_B = "edge-b";
    public static final InetSocketAddress ADDRESS_A = new InetSocketAddress("10.0.0.1", 7000);
    public static final InetSocketAddress ADDRESS_B = new InetSocketAddress("10.0.0.2", 7000);
    /** An address no edge of the tests advertises. */
    public static final InetSocketAddress ADDRESS_GONE = new InetSocketAddress("10.0.0.9", 7000);

    private static final long CLOCK_MS = 1_700_000_000_000L;

    private final ConnIds idsA = new ConnIds(ADDRESS_A, () -> CLOCK_MS);
    private final ConnIds idsB = new ConnIds(ADDRESS_B, () -> CLOCK_MS);
    private final ConnIds idsGone = new ConnIds(ADDRESS_GONE, () -> CLOCK_MS);

    /** Returns a new connection id of {@code edgeId} ({@link #EDGE_A} or {@link #EDGE_B}). */
    public String connId(String edgeId) {
        return switch (edgeId) {
            case EDGE_A -> idsA.next();
            case EDGE_B -> idsB.next();
            default -> throw new IllegalArgumentException("edgeId: " + edgeId + " (expected: edge-a or edge-b)");
        };
    }

    /** Returns a new connection id of an edge that is gone. */
    public String goneConnId() {
        return idsGone.next();
    }

    /** Returns an entry for a new connection of the device on {@code edgeId}. */
    public DeviceEntry entry(String userId, ClientType clientType, String deviceId, String edgeId, long connectedAtMs) {
        return new DeviceEntry(userId, clientType, deviceId, connId(edgeId), edgeId, "run-1", "192.0.2.7:40000",
                connectedAtMs);
    }

    /** Returns what an edge reports for a new connection of the device on {@code edgeId}. */
    public ConnectionInfo connection(String userId, ClientType clientType, String deviceId, String edgeId,
                                     long connectedAtMs) {
        return ConnectionInfo.newBuilder()
                .setConnId(connId(edgeId))
                .setUserId(userId)
                .setDeviceId(deviceId)
                .setClientType(clientType)
                .setClientAddr("192.0.2.7:40000")
                .setEdgeId(edgeId)
                .setConnectedAtMs(connectedAtMs)
                .build();
    }
}
