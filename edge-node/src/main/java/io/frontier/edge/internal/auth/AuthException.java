package io.frontier.edge.internal.auth;

/**
 * An authentication that did not succeed, with the code the device gets: 401 for a
 * refused token, 502 when the auth backend failed, 504 when it timed out.
 */
public final class AuthException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int code;

    public AuthException(int code, String reason) {
        super(reason, null, false, false);
        this.code = code;
    }

    public int code() {
        return code;
    }
}
