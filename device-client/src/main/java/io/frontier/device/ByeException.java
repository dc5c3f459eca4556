package io.frontier.device;

import java.io.IOException;

/**
 * Signals that the server ended the session with a Bye (PROTOCOL.md 1.2): every
 * request still waiting for its reply fails with it, a refused Hello included.
 */
public final class ByeException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int code;
    private final String reason;

    /** Creates an exception for a Bye with {@code code} and {@code reason}. */
    public ByeException(int code, String reason) {
        super("bye " + code + (reason == null || reason.isEmpty() ? "" : ": " + reason));
        this.code = code;
        this.reason = reason == null ? "" : reason;
    }

    /** Returns the Bye code (PROTOCOL.md section 3), 0 when the Bye had no payload. */
    public int code() {
        return code;
    }

    /** Returns the Bye reason, empty when the server gave none. */
    public String reason() {
        return reason;
    }
}
