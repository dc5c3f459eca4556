package io.frontier.protocol;

/**
 * The codes of PROTOCOL.md section 3, shared by TCP Bye, {@code TcpResponse.status},
 * the WebSocket {@code status} header and BYE {@code code}. Devices in the field rely
 * on these numbers: add, never renumber.
 */
public final class StatusCode {
    /** Ok, or a normal close. */
    public static final int OK = 200;
    /** Protocol error: malformed frame, unknown cmd, second Hello. */
    public static final int BAD_REQUEST = 400;
    /** Not authenticated, or authentication failed. */
    public static final int UNAUTHORIZED = 401;
    /** No backend registered for the service. */
    public static final int NOT_FOUND = 404;
    /** No Hello in time, or the idle deadline passed. */
    public static final int TIMEOUT = 408;
    /** Replaced: the same device opened a newer connection. */
    public static final int REPLACED = 409;
    /** Kicked by an administrator. */
    public static final int KICKED = 410;
    /** Frame or payload too large. */
    public static final int TOO_LARGE = 413;
    /** Rate limited, or too many connections. */
    public static final int TOO_MANY = 429;
    /** Internal error. */
    public static final int INTERNAL = 500;
    /** Not implemented. */
    public static final int NOT_IMPLEMENTED = 501;
    /** The backend failed. */
    public static final int BAD_GATEWAY = 502;
    /** The server is draining: reconnect to another node after a random delay. */
    public static final int DRAINING = 503;
    /** The backend timed out. */
    public static final int GATEWAY_TIMEOUT = 504;

    private StatusCode() {
    }
}
