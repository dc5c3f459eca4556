package io.frontier.status;

/**
 * A status store that cannot answer now: unreachable, too slow, or without the data it had.
 * Its message is short and safe to pass on to a caller (no command, script or address); the
 * cause, when there is one, is the client's own exception, for logs.
 */
public final class StatusStoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StatusStoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
