package io.frontier.status;

import static io.frontier.status.Checks.knownClientType;
import static io.frontier.status.Checks.nonBlank;
import static io.frontier.status.Checks.nonNull;

import io.frontier.api.v1.ClientType;
import java.util.Comparator;

/**
 * One device connection as UserStatus records it. Immutable.
 *
 * <p>A user holds at most one entry per (client type, device id): feature phones ({@code CLIENT_TYPE_TCP})
 * and smartphones ({@code CLIENT_TYPE_WS}) are kept apart even when they share a device id.
 *
 * @param userId the user the device belongs to; not blank
 * @param clientType {@code CLIENT_TYPE_TCP} or {@code CLIENT_TYPE_WS}
 * @param deviceId the device, unique within the user and client type; not blank
 * @param connId the connection, unique across edges; not blank
 * @param edgeId the edge that holds the connection; not blank
 * @param edgeInstance the run of that edge (a restarted edge keeps its id and gets a new instance); may be empty
 * @param clientAddr the device's address as the edge sees it, {@code ip:port}; may be empty
 * @param connectedAtMs when the edge accepted the connection, in epoch milliseconds; not negative
 */
public record DeviceEntry(String userId, ClientType clientType, String deviceId, String connId,
                          String edgeId, String edgeInstance, String clientAddr, long connectedAtMs) {

    /** The order of {@link UserStatus#devices} within one user: TCP before WS, then by device id. */
    public static final Comparator<DeviceEntry> WITHIN_USER = Comparator.comparing(DeviceKey::of, DeviceKey.WITHIN_USER);

    /**
     * Checks every field.
     *
     * @throws NullPointerException if a string field or {@code clientType} is null
     * @throws IllegalArgumentException if a field is out of range
     */
    public DeviceEntry {
        nonBlank(userId, "userId");
        knownClientType(clientType, "clientType");
        nonBlank(deviceId, "deviceId");
        nonBlank(connId, "connId");
        nonBlank(edgeId, "edgeId");
        nonNull(edgeInstance, "edgeInstance");
        nonNull(clientAddr, "clientAddr");
        if (connectedAtMs < 0) {
            throw new IllegalArgumentException("connectedAtMs: " + connectedAtMs + " (expected: >= 0)");
        }
    }
}
