package io.frontier.control.edges;

/** An edge that the control plane knows of but cannot reach now. */
public final class EdgeUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public EdgeUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
