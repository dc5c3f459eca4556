package io.frontier.edge.session;

import io.frontier.api.v1.ClientType;
import io.frontier.api.v1.ConnectionInfo;

/**
 * One authenticated device connection as listeners outside the edge see it: who the
 * device is and where it connects from. Thread-safe: every method may be called from
 * any thread.
 */
public interface Session {
    /** Returns the connection id, unique across edges (hex, as devices and the Push API see it). */
    String connId();

    String userId();

    String deviceId();

    ClientType clientType();

    /** Returns the device's address as "ip:port". */
    String clientAddr();

    /** Returns when the device came online, in epoch milliseconds. */
    long connectedAtMs();

    /** Returns when the device last sent anything, in epoch milliseconds. */
    long lastActivityMs();

    /** Returns this connection as the edge reports it to the control plane and backends. */
    ConnectionInfo info(String edgeId);

    /** Closes the connection with a Bye code (PROTOCOL.md section 3). */
    void close(int code, String reason);
}
