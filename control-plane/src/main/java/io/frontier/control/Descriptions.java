package io.frontier.control;

/**
 * The descriptions of the gRPC statuses the control plane answers with: a failure's own words, cut
 * short, so that a caller never gets a peer's unbounded text (a Redis client's message carries its
 * command and script, a kilobyte and more).
 */
public final class Descriptions {
    /** The most characters of a failure's message that a description carries. */
    public static final int MAX_LENGTH = 120;

    private Descriptions() {
    }

    /** Returns the first line of the failure's message, at most {@link #MAX_LENGTH} characters, or its type when it has none. */
    public static String brief(Throwable failure) {
        String message = failure.getMessage();
        if (message == null || message.isBlank()) {
            return failure.getClass().getSimpleName();
        }
        String line = message.strip().lines().findFirst().orElse("");
        return line.length() > MAX_LENGTH ? line.substring(0, MAX_LENGTH) + "..." : line;
    }
}
